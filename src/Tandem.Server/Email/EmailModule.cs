using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

    public static IEndpointRouteBuilder MapEmailEndpoints(this IEndpointRouteBuilder app) => app;

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
