namespace Tandem.Domain.Capture;

/// <summary>Where a touch came from: the channel, the campaign and the raw UTM and page facts behind them.</summary>
public sealed record Attribution(
    string? Channel = null,
    string? Campaign = null,
    string? UtmSource = null,
    string? UtmMedium = null,
    string? UtmCampaign = null,
    string? UtmTerm = null,
    string? UtmContent = null,
    string? Referrer = null,
    string? LandingPage = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty =>
        Channel is null && Campaign is null && UtmSource is null && UtmMedium is null && UtmCampaign is null
        && UtmTerm is null && UtmContent is null && Referrer is null && LandingPage is null;

    /// <summary>Fills a missing channel from the UTM tags and the referrer, and a missing campaign from utm_campaign.</summary>
    public Attribution Completed() => this with
    {
        Channel = Clean(Channel) is { } c ? Channels.Fold(c) : Channels.Classify(UtmSource, UtmMedium, Referrer),
        Campaign = Clean(Campaign) ?? Clean(UtmCampaign),
    };

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
