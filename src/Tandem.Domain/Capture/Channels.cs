namespace Tandem.Domain.Capture;

/// <summary>The marketing channels touches are grouped under, and how raw source facts map onto them.</summary>
public static class Channels
{
    public const string PaidSearch = "Paid Search";
    public const string OrganicSearch = "Organic Search";
    public const string PaidSocial = "Paid Social";
    public const string OrganicSocial = "Organic Social";
    public const string Email = "Email";
    public const string Referral = "Referral";
    public const string Display = "Display";
    public const string Events = "Events";
    public const string Direct = "Direct";
    public const string Other = "Other";

    public static readonly IReadOnlyList<string> All =
        [PaidSearch, OrganicSearch, PaidSocial, OrganicSocial, Email, Referral, Display, Events, Direct, Other];

    private static readonly string[] SearchEngines = ["google.", "bing.", "duckduckgo.", "yahoo.", "baidu.", "yandex.", "ecosia."];
    private static readonly string[] SocialSites = ["facebook.", "linkedin.", "twitter.", "x.com", "t.co", "instagram.", "youtube.", "reddit.", "tiktok."];

    /// <summary>
    /// Folds case and spacing variants of a channel name ("paid search", "PAID SEARCH") onto the
    /// canonical name; an unknown channel keeps its own words, title-cased, so variants still meet.
    /// </summary>
    public static string Fold(string channel)
    {
        var trimmed = string.Join(' ', channel.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var known in All)
            if (string.Equals(known, trimmed, StringComparison.OrdinalIgnoreCase)) return known;
        return System.Globalization.CultureInfo.InvariantCulture.TextInfo.ToTitleCase(trimmed.ToLowerInvariant());
    }

    /// <summary>Classifies a touch from its UTM source and medium, falling back to the referrer.</summary>
    public static string? Classify(string? utmSource, string? utmMedium, string? referrer)
    {
        var medium = utmMedium?.Trim().ToLowerInvariant();
        var source = utmSource?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(medium))
        {
            if (medium is "cpc" or "ppc" or "paid" or "paidsearch" or "paid-search" or "sem")
                return IsSocial(source) ? PaidSocial : PaidSearch;
            if (medium is "paid-social" or "paidsocial" or "social-paid") return PaidSocial;
            if (medium is "social" or "social-network" or "sm") return OrganicSocial;
            if (medium is "email" or "e-mail" or "newsletter") return Email;
            if (medium is "display" or "banner" or "cpm") return Display;
            if (medium is "referral" or "partner" or "affiliate") return Referral;
            if (medium is "event" or "events" or "webinar" or "conference") return Events;
            if (medium is "organic") return OrganicSearch;
        }
        if (!string.IsNullOrEmpty(source))
        {
            if (IsSocial(source)) return OrganicSocial;
            if (SearchEngines.Any(s => (source + ".").StartsWith(s, StringComparison.Ordinal))) return OrganicSearch;
            return Other;
        }
        if (Uri.TryCreate(referrer, UriKind.Absolute, out var uri))
        {
            var host = uri.Host.ToLowerInvariant();
            if (SearchEngines.Any(s => host.Contains(s, StringComparison.Ordinal))) return OrganicSearch;
            if (IsSocial(host)) return OrganicSocial;
            return Referral;
        }
        return null;
    }

    private static bool IsSocial(string? hostOrSource) =>
        !string.IsNullOrEmpty(hostOrSource)
        && (SocialSites.Any(s => hostOrSource.Contains(s, StringComparison.Ordinal))
            || hostOrSource is "facebook" or "linkedin" or "twitter" or "instagram" or "youtube" or "reddit" or "tiktok" or "x");
}
