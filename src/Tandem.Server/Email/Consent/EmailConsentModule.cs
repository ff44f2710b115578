using Tandem.Server.Email.Tracking;

namespace Tandem.Server.Email.Consent;

/// <summary>
/// The public side of email: unsubscribe (with RFC 8058 one-click), preferences, opt-in confirmation, the open pixel and
/// tracked links — pages without sign-in, in the company's colours — plus consent with its proof.
/// </summary>
internal static class EmailConsentModule
{
    public static IServiceCollection AddEmailConsent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(EmailTrackingOptions.Section).Get<EmailTrackingOptions>() ?? new EmailTrackingOptions());
        services.AddSingleton<PageFormTokens>();
        services.AddSingleton<Unsubscriber>();
        services.AddSingleton<PreferenceChanges>();
        services.AddSingleton<FormConsent>();
        return services;
    }

    public static IEndpointRouteBuilder MapEmailConsentEndpoints(this IEndpointRouteBuilder app)
    {
        // Reached from a mailbox by someone who is not signed in: the signed token in the address is the authorisation.
        var pages = app.MapGroup("/e").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        pages.MapGet("/u/{token}", UnsubscribePage.Show);
        pages.MapPost("/u/{token}", UnsubscribePage.Submit);
        pages.MapGet("/p/{token}", PreferencesPage.Show);
        pages.MapPost("/p/{token}", PreferencesPage.Submit);
        pages.MapGet("/confirm/{token}", ConfirmPage.Show);
        pages.MapGet("/o/{token}", TrackOpen.Handle);
        pages.MapGet("/c/{token}", TrackClick.Handle);
        app.MapConsentApi();
        return app;
    }
}
