namespace Tandem.Domain.Reporting;

/// <summary>
/// Whether an activity touched a content asset. An asset is known by a URL pattern — "https://lumen.example/pricing",
/// "/blog/data-sla*" (a leading "/" matches the path on any host), "*" standing for any text — or by an id that downloads
/// and shares carry ("State of Data Reliability 2026", "pricing-deck"). Case never matters; a query string or a trailing
/// "/" does not make a different page.
/// </summary>
public static class AssetMatch
{
    public static bool UrlMatches(string pattern, string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(pattern)) return false;
        var target = Normalize(url);
        var p = Normalize(pattern.Trim());
        if (p.StartsWith('/'))
        {
            // A path pattern: compare with the path of a full URL.
            if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") target = Normalize(uri.AbsolutePath);
            if (!target.StartsWith('/')) return false;
        }
        else
        {
            p = StripScheme(p);
            target = StripScheme(target);
        }
        return Wildcard(p, target);
    }

    public static bool KeyMatches(string key, string? value) =>
        !string.IsNullOrWhiteSpace(key) && !string.IsNullOrWhiteSpace(value) && string.Equals(key.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string url)
    {
        var cut = url.IndexOfAny(['?', '#']);
        var s = (cut >= 0 ? url[..cut] : url).ToLowerInvariant();
        return s.Length > 1 && s.EndsWith('/') ? s.TrimEnd('/') : s;
    }

    private static string StripScheme(string s) =>
        s.StartsWith("https://", StringComparison.Ordinal) ? s[8..] : s.StartsWith("http://", StringComparison.Ordinal) ? s[7..] : s;

    /// <summary>Glob match where "*" is any run of characters (iterative, no backtracking blow-up).</summary>
    private static bool Wildcard(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == text[t]) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
            else if (star >= 0) { p = star + 1; t = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
