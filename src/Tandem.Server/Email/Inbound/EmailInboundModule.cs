using Microsoft.Extensions.Options;
using Tandem.Server.Security;

namespace Tandem.Server.Email.Inbound;

/// <summary>Email inbound: bounces, complaints, deliveries and replies, from raw MIME and from SendGrid's and Amazon SES's webhooks.</summary>
internal static class EmailInboundModule
{
    public static IServiceCollection AddEmailInbound(this IServiceCollection services)
    {
        services.AddOptions<InboundOptions>().BindConfiguration(InboundOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<InboundOptions>>().Value);
        services.AddSingleton<RecordInbound>();
        return services;
    }

    public static IEndpointRouteBuilder MapEmailInboundEndpoints(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/hooks/email").WithTags("Email inbound").AllowAnonymous();
        hooks.MapPost("/inbound/{secret}", InboundHooks.RawMime)
            .WithSummary("A raw RFC 5322 message (bounce report, complaint, reply), or a form with it in 'email' (SendGrid Inbound Parse).");
        hooks.MapPost("/sendgrid/{secret}", InboundHooks.SendGrid).WithSummary("SendGrid's Event Webhook: bounces, drops, spam reports, deliveries, unsubscribes.");
        hooks.MapPost("/ses/{secret}", InboundHooks.Ses).WithSummary("Amazon SNS notifications of Amazon SES bounces, complaints and deliveries.");

        var admin = app.MapGroup("/api/v1/email/inbound").WithTags("Email inbound");
        admin.MapGet("/", InboundSettings.Get).RequireScope(Scopes.EmailWrite)
            .WithSummary("The inbound hook URLs, with their secret (generated on first use), for Postfix, SendGrid and SNS.");
        admin.MapPost("/rotate", InboundSettings.Rotate).RequireScope(Scopes.EmailWrite)
            .WithSummary("Replace the hooks' secret; the old URLs answer 404 at once.");
        admin.MapGet("/events", InboundSettings.Events).RequireScope(Scopes.EmailRead)
            .WithSummary("Inbound events newest first (replies, bounces, complaints, deliveries, unmatched), filtered by kind.");
        return app;
    }
}
