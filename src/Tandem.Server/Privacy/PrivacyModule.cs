using Tandem.Server.Security;

namespace Tandem.Server.Privacy;

/// <summary>Personal data: erasure with a tombstone, subject access export, and retention applied by a daily job.</summary>
internal static class PrivacyModule
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(RetentionOptions.Section).Get<RetentionOptions>() ?? new RetentionOptions());
        services.AddSingleton<PersonEraser>();
        services.AddSingleton<PersonDataExport>();
        services.AddSingleton<RetentionSweep>();
        services.AddHostedService<RetentionScheduler>();
        return services;
    }

    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/people/{id:long}/erase", PersonEraser.Handle).WithTags("People").RequireScope(Scopes.Admin)
            .WithSummary("Erase a person and the records merged into them, leaving an anonymous tombstone that reports still count. Cannot be undone.");
        app.MapGet("/api/v1/people/{id:long}/data-export", PersonDataExport.Handle).WithTags("People").RequireScope(Scopes.Admin)
            .WithSummary("Everything Tandem holds on one person, as JSON (a subject access request).");
        app.MapGet("/api/v1/settings/retention", RetentionSettings.Get).WithTags("Settings").RequireScope(Scopes.Admin)
            .WithSummary("How many days activities, delivery logs and import error reports are kept (null: for ever).");
        app.MapPut("/api/v1/settings/retention", RetentionSettings.Put).WithTags("Settings").RequireScope(Scopes.Admin)
            .WithSummary("Set the retention policy; a daily job deletes what it no longer keeps.");
        return app;
    }
}
