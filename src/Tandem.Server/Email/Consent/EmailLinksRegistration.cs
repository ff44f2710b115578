using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Consent;

/// <summary>
/// Builds the one <see cref="EmailLinks"/> of the server. <c>Tandem:Email:PublicUrl</c> is where people reach the public
/// pages from their mailbox (e.g. https://tandem.example.com); without it, the first address the server listens on is
/// used, which suits a server on one machine and tests but not one behind a proxy.
/// </summary>
internal static class EmailLinksRegistration
{
    public const string PublicUrlSetting = "Tandem:Email:PublicUrl";

    public static EmailLinks Create(IServiceProvider services)
    {
        var url = services.GetRequiredService<IConfiguration>()[PublicUrlSetting];
        if (string.IsNullOrWhiteSpace(url))
            url = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        // Resolved on first use, after the database is migrated; the secret is read once and kept.
        var key = EmailLinks.LoadOrCreateKeyAsync(services.GetRequiredService<Database>()).GetAwaiter().GetResult();
        return new EmailLinks(url, key);
    }
}
