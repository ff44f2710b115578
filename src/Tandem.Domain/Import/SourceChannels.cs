using Tandem.Domain.Capture;

namespace Tandem.Domain.Import;

/// <summary>
/// Folds the lead-source values CRMs export ("Direct Traffic", "Trade Show", "PAID_SEARCH", "google")
/// onto Tandem's channels; values with no known channel keep their own words, so case variants
/// ("google", "Google") still meet as one channel.
/// </summary>
public static class SourceChannels
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["directtraffic"] = Channels.Direct, ["direct"] = Channels.Direct, ["typein"] = Channels.Direct,
        ["organicsearch"] = Channels.OrganicSearch, ["seo"] = Channels.OrganicSearch, ["search"] = Channels.OrganicSearch, ["bing"] = Channels.OrganicSearch,
        ["paidsearch"] = Channels.PaidSearch, ["payperclickads"] = Channels.PaidSearch, ["ppc"] = Channels.PaidSearch,
        ["cpc"] = Channels.PaidSearch, ["googleads"] = Channels.PaidSearch, ["adwords"] = Channels.PaidSearch, ["sem"] = Channels.PaidSearch,
        ["paidsocial"] = Channels.PaidSocial, ["organicsocial"] = Channels.OrganicSocial, ["socialmedia"] = Channels.OrganicSocial, ["social"] = Channels.OrganicSocial,
        ["emailmarketing"] = Channels.Email, ["email"] = Channels.Email, ["newsletter"] = Channels.Email, ["emailcampaign"] = Channels.Email,
        ["referral"] = Channels.Referral, ["referrals"] = Channels.Referral, ["referralsites"] = Channels.Referral, ["reference"] = Channels.Referral,
        ["partnerreferral"] = Channels.Referral, ["employeereferral"] = Channels.Referral, ["externalreferral"] = Channels.Referral,
        ["wordofmouth"] = Channels.Referral, ["aireferrals"] = Channels.Referral, ["partner"] = Channels.Referral,
        ["tradeshow"] = Channels.Events, ["seminarinternal"] = Channels.Events, ["seminarpartner"] = Channels.Events,
        ["webinar"] = Channels.Events, ["event"] = Channels.Events, ["events"] = Channels.Events, ["conference"] = Channels.Events,
        ["advertisement"] = Channels.Display, ["display"] = Channels.Display, ["banner"] = Channels.Display,
        ["othercampaigns"] = Channels.Other, ["offlinesources"] = Channels.Other, ["other"] = Channels.Other,
    };

    public static string Fold(string source)
    {
        var key = new string(source.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return Known.TryGetValue(key, out var channel) ? channel : Channels.Fold(source.Replace('_', ' '));
    }
}
