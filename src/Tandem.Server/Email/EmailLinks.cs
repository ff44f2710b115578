using System.Security.Cryptography;
using System.Text;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Email;

/// <summary>The public pages an email links to; each path is followed by a signed token.</summary>
internal static class EmailLinkPaths
{
    public const string Unsubscribe = "/e/u/";
    public const string Preferences = "/e/p/";
    public const string Confirm = "/e/confirm/";
    public const string Open = "/e/o/";
    public const string Click = "/e/c/";
}

/// <summary>
/// Signed links in an email: unsubscribe (also RFC 8058's one-click target), preferences and opt-in confirmation work
/// without signing in, so the id they carry is signed with the workspace's link secret; a click link signs the target
/// address with the send, so the redirect can never be pointed elsewhere (no open redirect). Tokens are
/// "ID.SIGNATURE" with a URL-safe HMAC-SHA256 over a purpose, the id and (for clicks) the target.
/// The secret is generated on first use and kept in <c>workspace_settings</c>, never in configuration or the repo.
/// </summary>
internal sealed class EmailLinks
{
    public const string SecretSetting = "email.link_secret";
    private readonly byte[] _key;

    public EmailLinks(string publicBaseUrl, byte[] key)
    {
        PublicBaseUrl = publicBaseUrl.TrimEnd('/');
        _key = key;
    }

    /// <summary>Where the public pages are reached from outside, e.g. "https://tandem.example.com".</summary>
    public string PublicBaseUrl { get; }

    public string UnsubscribeUrl(long sendId) => PublicBaseUrl + EmailLinkPaths.Unsubscribe + Token("unsubscribe", sendId);

    public string PreferencesUrl(long personId) => PublicBaseUrl + EmailLinkPaths.Preferences + Token("preferences", personId);

    public string ConfirmUrl(long personId) => PublicBaseUrl + EmailLinkPaths.Confirm + Token("confirm", personId);

    public string OpenPixelUrl(long sendId) => PublicBaseUrl + EmailLinkPaths.Open + Token("open", sendId) + ".gif";

    public string ClickUrl(long sendId, string target) =>
        PublicBaseUrl + EmailLinkPaths.Click + Token("click", sendId, target) + "?u=" + Uri.EscapeDataString(target);

    public bool TryReadUnsubscribe(string token, out long sendId) => TryRead("unsubscribe", token, null, out sendId);

    public bool TryReadPreferences(string token, out long personId) => TryRead("preferences", token, null, out personId);

    public bool TryReadConfirm(string token, out long personId) => TryRead("confirm", token, null, out personId);

    /// <summary>Reads an open-pixel token, with or without its ".gif".</summary>
    public bool TryReadOpen(string token, out long sendId) =>
        TryRead("open", token.EndsWith(".gif", StringComparison.OrdinalIgnoreCase) ? token[..^4] : token, null, out sendId);

    /// <summary>True only when the token was made for this send and exactly this target.</summary>
    public bool TryReadClick(string token, string target, out long sendId) => TryRead("click", token, target, out sendId);

    /// <summary>The workspace's link secret, created once and shared by every server on the same database.</summary>
    public static async Task<byte[]> LoadOrCreateKeyAsync(Database db)
    {
        await using var c = await db.OpenAsync();
        var stored = await c.QuerySingleOrDefaultAsync<string>("SELECT value FROM workspace_settings WHERE key = @SecretSetting", new { SecretSetting });
        if (stored is null)
        {
            // Two servers starting together may both try; the first insert wins and both read it back.
            await c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES (@SecretSetting, @v) ON CONFLICT (key) DO NOTHING",
                new { SecretSetting, v = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            stored = await c.QuerySingleAsync<string>("SELECT value FROM workspace_settings WHERE key = @SecretSetting", new { SecretSetting });
        }
        return Convert.FromBase64String(stored);
    }

    private string Token(string purpose, long id, string? target = null) => $"{id}.{Signature(purpose, id, target)}";

    private bool TryRead(string purpose, string token, string? target, out long id)
    {
        id = 0;
        var dot = token.IndexOf('.');
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), out var candidate)) return false;
        var expected = Encoding.ASCII.GetBytes(Signature(purpose, candidate, target));
        var given = Encoding.ASCII.GetBytes(token[(dot + 1)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return false;
        id = candidate;
        return true;
    }

    private string Signature(string purpose, long id, string? target)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{purpose}\n{id}\n{target}"));
        // 128 bits are plenty against forgery and keep links short.
        return Convert.ToBase64String(mac, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
