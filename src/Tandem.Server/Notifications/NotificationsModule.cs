using Microsoft.Extensions.Options;
using Tandem.Server.Security;

namespace Tandem.Server.Notifications;

internal static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NotificationOptions>>().Value);
        services.AddHttpClient(WebhookSender.ClientName, (sp, client) =>
        {
            client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<NotificationOptions>().TimeoutSeconds);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Tandem-Webhooks/1.0");
        }).ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
        {
            // A receiver's redirect is an answer, not an instruction: following it could lead anywhere the checks refuse.
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = sp.GetRequiredService<WebhookTargets>().ConnectAsync,
        });
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<EmailSender>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<InApp.UnreadCount>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }

    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/api/v1/webhooks").WithTags("Notifications").RequireScope(Scopes.Admin);
        hooks.MapPost("/", WebhookEndpoints.Create).WithSummary("Subscribe a URL to notifications; the signing secret is shown once, here.");
        hooks.MapGet("/", WebhookEndpoints.List).WithSummary("Webhook subscriptions (never their secrets).");
        hooks.MapDelete("/{id:long}", WebhookEndpoints.Delete).WithSummary("Unsubscribe; pending deliveries are cancelled, the log is kept.");

        var log = app.MapGroup("/api/v1/notifications").WithTags("Notifications");
        log.MapGet("/deliveries", DeliveryLog.List).RequireScope(Scopes.Read)
            .WithSummary("The delivery log, newest first: filter by status, channel, subscriptionId, personId; each with its attempts.");
        log.MapPost("/deliveries/{id:long}/retry", DeliveryLog.Retry).RequireScope(Scopes.Admin)
            .WithSummary("Send a failed or cancelled delivery again now.");
        return app;
    }
}
