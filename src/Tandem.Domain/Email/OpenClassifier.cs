namespace Tandem.Domain.Email;

/// <summary>Whether an open-pixel fetch was a person reading the email or a machine fetching it for them.</summary>
/// <param name="Prefetched">True when a mail-privacy proxy or an image cache fetched it, not a reader.</param>
/// <param name="Why">In words, why it counts as prefetched (null for a person's open).</param>
public sealed record OpenVerdict(bool Prefetched, string? Why)
{
    public static readonly OpenVerdict Person = new(false, null);
}

/// <summary>
/// Tells a person's open from a machine's. Mail-privacy proxies fetch every image of a message on delivery, whether or
/// not anyone reads it, so an open is a machine's when it comes from a known proxy, or so soon after the hand-over
/// that no reader could have opened the email yet.
/// </summary>
public static class OpenClassifier
{
    /// <param name="sentAt">When the email was handed to the relay (Unix ms); null when that is not known.</param>
    /// <param name="fetchedAt">When the pixel was fetched (Unix ms).</param>
    /// <param name="prefetchWindow">Fetches this soon after sending count as prefetches.</param>
    public static OpenVerdict Classify(long? sentAt, long fetchedAt, string? userAgent, TimeSpan prefetchWindow)
    {
        if (MailPrivacyProxies.Recognize(userAgent) is { } proxy) return new OpenVerdict(true, proxy);
        if (sentAt is { } sent && fetchedAt - sent < (long)prefetchWindow.TotalMilliseconds)
            return new OpenVerdict(true, $"fetched {Math.Max(0, fetchedAt - sent) / 1000.0:0.#} s after sending, within the {prefetchWindow.TotalSeconds:0.#} s prefetch window");
        return OpenVerdict.Person;
    }
}

/// <summary>
/// The user agents of mail-privacy proxies and image caches that fetch an email's images without a reader.
/// Sources: Gmail's image proxy names itself "GoogleImageProxy" (via ggpht.com); Yahoo and AOL's is "YahooMailProxy";
/// Apple Mail Privacy Protection fetches through Apple's relays with the bare user agent "Mozilla/5.0" and nothing
/// else; Microsoft's link and image scanners in Exchange Online and Office announce "Microsoft Office Existence
/// Discovery" or pose as the long-outdated "Chrome/42.0.2311.135 … Edge/12.246" that no reader's browser sends. Outlook
/// itself loads images from the reader's device, so its opens are a person's. The list is heuristic: a proxy that poses
/// as a browser is caught only by the prefetch window.
/// </summary>
public static class MailPrivacyProxies
{
    private static readonly (string Marker, string Name)[] Contains =
    [
        ("GoogleImageProxy", "Gmail's image proxy"),
        ("ggpht.com", "Gmail's image proxy"),
        ("YahooMailProxy", "Yahoo Mail's image proxy"),
        ("Microsoft Office Existence Discovery", "a Microsoft Office link scanner"),
        ("Edge/12.246", "a Microsoft mail scanner"),
    ];

    /// <summary>The proxy's name in words, or null when the user agent is not a known proxy's.</summary>
    public static string? Recognize(string? userAgent)
    {
        var ua = userAgent?.Trim();
        if (string.IsNullOrEmpty(ua)) return null;
        // Apple's relays send exactly this and nothing more; every real browser and mail client adds its details.
        if (ua == "Mozilla/5.0") return "Apple Mail Privacy Protection";
        foreach (var (marker, name) in Contains)
            if (ua.Contains(marker, StringComparison.OrdinalIgnoreCase)) return name;
        return null;
    }
}
