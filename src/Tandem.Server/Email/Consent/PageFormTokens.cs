using System.Security.Cryptography;
using System.Text;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Consent;

/// <summary>
/// A signed token in each public page's form, so a POST from a browser is known to come from the page Tandem rendered
/// for that same link (cross-site request forgery protection). It is signed with the workspace's link secret rather
/// than tied to a cookie, so it works on every server sharing the database and in browsers that refuse cookies; it
/// lasts a day. RFC 8058's one-click POST does not carry it: a mail client sends no page's token and no cookie, and the
/// signed link itself is what authorises that request.
/// </summary>
internal sealed class PageFormTokens(Database db, TimeProvider clock)
{
    public const string Field = "__form";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);
    private readonly Lazy<Task<byte[]>> key = new(async () =>
        HMACSHA256.HashData(await EmailLinks.LoadOrCreateKeyAsync(db), "public page forms"u8.ToArray()));

    public async Task<string> IssueAsync(string purpose, long id)
    {
        var issued = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return $"{issued}.{await SignAsync(purpose, id, issued)}";
    }

    public async Task<bool> VerifyAsync(string purpose, long id, string? token)
    {
        var dot = token?.IndexOf('.') ?? -1;
        if (token is null || dot <= 0 || !long.TryParse(token.AsSpan(0, dot), out var issued)) return false;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (issued > now + 60_000 || now - issued > (long)Lifetime.TotalMilliseconds) return false;
        var expected = Encoding.ASCII.GetBytes(await SignAsync(purpose, id, issued));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token[(dot + 1)..]));
    }

    private async Task<string> SignAsync(string purpose, long id, long issued)
    {
        var mac = HMACSHA256.HashData(await key.Value, Encoding.UTF8.GetBytes($"{purpose}\n{id}\n{issued}"));
        return Convert.ToBase64String(mac, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
