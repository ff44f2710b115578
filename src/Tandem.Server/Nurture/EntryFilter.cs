using System.Globalization;
using System.Text.Json;
using Dapper;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

/// <summary>
/// A program's entry filter as SQL over people aliased "p": the people list's own filter (<see cref="PeopleQuery"/>),
/// so a program enters exactly whom the same filter lists, plus the three keys only programs use — the highest
/// engagement (an engagement band is min and max), a campaign of the first or last touch, and a sales rejection reason.
/// </summary>
internal static class EntryFilter
{
    /// <summary>Checks the values; problems are named "{prefix}.{key}".</summary>
    public static void Validate(IReadOnlyDictionary<string, string> filter, Validation v, string prefix)
    {
        var inner = new Validation();
        PeopleQuery.Parse(name => filter.GetValueOrDefault(name), inner);
        foreach (var (field, reasons) in inner.Errors)
            foreach (var reason in reasons) v.Add($"{prefix}.{field}", reason);
    }

    public static (string Where, DynamicParameters Args) ToSql(IReadOnlyDictionary<string, string> filter, SqlDialect dialect)
    {
        var query = PeopleQuery.Parse(name => filter.GetValueOrDefault(name), new Validation());
        var (where, args) = query.ToSql(dialect);
        if (filter.TryGetValue("maxEngagement", out var max) && int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var most))
        {
            where += " AND p.engagement_score <= @nurtureMaxEngagement";
            args.Add("nurtureMaxEngagement", (long)most);
        }
        if (filter.TryGetValue("campaign", out var campaign))
        {
            // Touches are stored as JSON; the quoted value keeps "spring" from matching "spring-launch".
            where += " AND (p.first_touch LIKE @nurtureCampaign ESCAPE '\\' OR p.last_touch LIKE @nurtureCampaign ESCAPE '\\')";
            args.Add("nurtureCampaign", "%\"campaign\":" + JsonSerializer.Serialize(campaign).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
        }
        if (filter.TryGetValue("rejectionReason", out var reason))
        {
            where += " AND EXISTS (SELECT 1 FROM dispositions d WHERE d.person_id = p.id AND d.kind = 'rejected' AND d.reason_code = @nurtureRejection)";
            args.Add("nurtureRejection", reason.Trim().ToLowerInvariant());
        }
        return (where, args);
    }
}
