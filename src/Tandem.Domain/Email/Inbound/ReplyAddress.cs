using System.Text.RegularExpressions;

namespace Tandem.Domain.Email.Inbound;

/// <summary>
/// The per-send reply address, "reply+TOKEN@reply-domain": the sender sets it as Reply-To, so whoever answers sends
/// the token back to us in the recipient, the one place a mail client never drops or rewrites.
/// </summary>
public static partial class ReplyAddress
{
    public const string LocalPrefix = "reply+";

    public static string For(string token, string domain) => $"{LocalPrefix}{token}@{domain}";

    /// <summary>The token in a "reply+TOKEN@…" address (with or without a display name), or null.</summary>
    public static string? Token(string? address) =>
        address is not null && Pattern().Match(address) is { Success: true } m ? m.Groups["token"].Value : null;

    [GeneratedRegex(@"(?:^|[<\s,""])reply\+(?<token>[A-Za-z0-9_\-]{6,100})@[A-Za-z0-9.\-]+", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
