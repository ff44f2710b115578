using Tandem.Domain.Identity;

namespace Tandem.Domain.Import;

/// <summary>What a column of an import file can feed. Standard profile fields use their PersonFields names.</summary>
public static class ImportTargets
{
    public const string Email = "email";
    /// <summary>The source system's id for the person, kept as an external id so a re-import updates instead of duplicating.</summary>
    public const string ExternalId = "externalId";
    /// <summary>Several "source:id" pairs separated by ";" (Tandem's own export).</summary>
    public const string ExternalIds = "externalIds";
    /// <summary>"First Last" in one column; used only when no first or last name column has a value.</summary>
    public const string FullName = "fullName";
    /// <summary>A status or lifecycle value, translated through the stage map.</summary>
    public const string Stage = "stage";
    /// <summary>A lead source ("Google", "Trade Show"), folded onto a channel.</summary>
    public const string Source = "source";
    public const string Campaign = "campaign";
    public const string UtmSource = "utmSource";
    public const string UtmMedium = "utmMedium";
    public const string UtmCampaign = "utmCampaign";
    public const string DoNotEmail = "doNotEmail";
    public const string DoNotCall = "doNotCall";
    public const string Unsubscribed = "unsubscribed";
    /// <summary>Pipedrive-style "Subscribed" / "Unsubscribed" / "No consent".</summary>
    public const string MarketingStatus = "marketingStatus";
    public const string Visits = "visits";
    public const string TimeOnSiteSeconds = "timeOnSiteSeconds";
    public const string PageViews = "pageViews";
    public const string LastActivity = "lastActivity";
    public const string LastActivityAt = "lastActivityAt";
    /// <summary>A won/converted flag (or a count of won deals): true moves the person to the outcome stage (Customer).</summary>
    public const string Outcome = "outcome";
    /// <summary>When the source last changed the record; newer observations win under survivorship.</summary>
    public const string ObservedAt = "observedAt";
    /// <summary>When the source system first had the person ("Create Date"): the person's created_at, so maturation, activity
    /// recency and the reports see the real timeline rather than the day of the import.</summary>
    public const string CreatedAt = "createdAt";
    public const string Ignore = "ignore";

    public static readonly IReadOnlyList<string> Special =
    [
        Email, ExternalId, ExternalIds, FullName, Stage, Source, Campaign, UtmSource, UtmMedium, UtmCampaign, DoNotEmail, DoNotCall,
        Unsubscribed, MarketingStatus, Visits, TimeOnSiteSeconds, PageViews, LastActivity, LastActivityAt, Outcome, ObservedAt, CreatedAt, Ignore,
    ];

    public static IEnumerable<string> All => Special.Concat(PersonFields.Standard);

    /// <summary>True for a known target or "custom.&lt;name&gt;".</summary>
    public static bool IsValid(string target) =>
        All.Contains(target, StringComparer.Ordinal) || (PersonFields.IsKnown(target) && CustomName(target[PersonFields.CustomPrefix.Length..]) == target[PersonFields.CustomPrefix.Length..]);

    /// <summary>Turns a header into a custom field name: "What is your current occupation" → "what_is_your_current_occupation".</summary>
    public static string CustomName(string header)
    {
        var chars = header.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray();
        var name = string.Join('_', new string(chars).Split('_', StringSplitOptions.RemoveEmptyEntries));
        if (name.Length == 0) name = "column";
        return name.Length <= 64 ? name : name[..64];
    }
}
