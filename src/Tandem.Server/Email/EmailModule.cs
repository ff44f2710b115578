using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Email;

/// <summary>Email: templates, the queue programs and forms send through, the SMTP sender, the workspace's email settings.</summary>
internal static class EmailModule
{
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value);
        services.TryAddSingleton(CreateLinks);
        services.AddHostedService<EmailLinksWarmup>();
        services.AddSingleton<IEmailQueue, EmailQueue>();
        services.AddSingleton<EmailSender>();
        services.AddHostedService<EmailSenderService>();
        return services;
    }

    public static IEndpointRouteBuilder MapEmailEndpoints(this IEndpointRouteBuilder app)
    {
        var email = app.MapGroup("/api/v1/email").WithTags("Email");
        email.MapGet("/settings", ManageEmailSettings.Get).RequireScope(Scopes.EmailRead)
            .WithSummary("The workspace's email settings, and what is still missing before email (or marketing email) can go.");
        email.MapPut("/settings", ManageEmailSettings.Put).RequireScope(Scopes.EmailWrite)
            .WithSummary("Replace the email settings: from name and address, reply-to, physical address, opt-in, frequency cap, brand.");

        var templates = email.MapGroup("/templates");
        templates.MapGet("/", ManageTemplates.List).RequireScope(Scopes.EmailRead).WithSummary("Email templates, by name.");
        templates.MapPost("/", ManageTemplates.Create).RequireScope(Scopes.EmailWrite)
            .WithSummary("Create a template; unknown merge fields are refused by name.");
        templates.MapGet("/{id:long}", ManageTemplates.Get).RequireScope(Scopes.EmailRead).WithSummary("One template.");
        templates.MapPut("/{id:long}", ManageTemplates.Replace).RequireScope(Scopes.EmailWrite)
            .WithSummary("Replace a template; emails already queued keep their words.");
        templates.MapDelete("/{id:long}", ManageTemplates.Delete).RequireScope(Scopes.EmailWrite)
            .WithSummary("Delete a template nothing was sent from (409 otherwise).");
        templates.MapPost("/{id:long}/preview", PreviewTemplate.Handle).RequireScope(Scopes.EmailRead)
            .WithSummary("Render a template with a person's data: subject, HTML and text. Nothing is sent or recorded.");
        templates.MapPost("/{id:long}/test-send", PreviewTemplate.TestSend).RequireScope(Scopes.EmailWrite)
            .WithSummary("Send a template to an address now, subject prefixed [Test]; not recorded on any person, not counted.");

        app.MapGet("/api/v1/people/{id:long}/emails", PersonEmails.Handle).WithTags("Email").RequireScope(Scopes.EmailRead)
            .WithSummary("The emails sent to a person, newest first, with status, opens, clicks and the program step.");
        return app;
    }

    /// <summary>
    /// The server's one <see cref="EmailLinks"/>, built on first use (after the database is migrated and the server
    /// listens): links point at Tandem:Email:PublicUrl, or else the first address the server listens on, which suits one
    /// machine and tests but not a server behind a proxy. The signing key is read (or created) once, here.
    /// </summary>
    private static EmailLinks CreateLinks(IServiceProvider services)
    {
        var url = services.GetRequiredService<EmailOptions>().PublicUrl;
        if (string.IsNullOrWhiteSpace(url))
            url = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses
                .FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? "http://localhost:5080";
        var key = EmailLinks.LoadOrCreateKeyAsync(services.GetRequiredService<Database>()).GetAwaiter().GetResult();
        return new EmailLinks(url, key);
    }
}
