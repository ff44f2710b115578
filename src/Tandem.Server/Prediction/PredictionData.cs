using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Capture;
using Tandem.Domain.Prediction;
using Tandem.Server.Storage;

namespace Tandem.Server.Prediction;

/// <summary>A person as the model sees them: their snapshot, their outcome facts, and the rules model's score beside it.</summary>
internal sealed record PredictionSubject(PersonSnapshot Snapshot, OutcomeFacts Facts, double RulesScore);

/// <summary>
/// Reads what the features are built from: profile, custom and account fields, the first touch (channel, campaign,
/// UTM), activities with their amounts, and the instants that decide each outcome. The whole workspace for training,
/// or a few people for a prediction kept current.
/// </summary>
internal static class PredictionData
{
    private sealed class PersonRow
    {
        public long Id { get; set; }
        public long CreatedAt { get; set; }
        public string? Company { get; set; }
        public string? Title { get; set; }
        public string? Country { get; set; }
        public string? Region { get; set; }
        public string? City { get; set; }
        public string? Industry { get; set; }
        public string? CompanySize { get; set; }
        public long DoNotEmail { get; set; }
        public long DoNotCall { get; set; }
        public string CustomFields { get; set; } = "{}";
        public string? FirstTouchChannel { get; set; }
        public string? FirstTouch { get; set; }
        public string? AccountIndustry { get; set; }
        public long? FitScore { get; set; }
        public long? EngagementScore { get; set; }
    }

    private sealed class ActivityRow
    {
        public long PersonId { get; set; }
        public string Type { get; set; } = "";
        public long OccurredAt { get; set; }
        public string Properties { get; set; } = "{}";
    }

    private const string PeopleSql =
        "SELECT p.id, p.created_at, p.company, p.title, p.country, p.region, p.city, p.industry, p.company_size, p.do_not_email, " +
        "p.do_not_call, p.custom_fields, p.first_touch_channel, p.first_touch, a.industry AS account_industry, p.fit_score, p.engagement_score " +
        "FROM people p LEFT JOIN accounts a ON a.id = p.account_id WHERE p.merged_into_id IS NULL AND p.erased_at IS NULL";

    /// <summary>Everyone live in the workspace.</summary>
    public static Task<List<PredictionSubject>> LoadAllAsync(DbConnection c, DbTransaction? tx, PredictionOptions options) =>
        LoadSomeAsync(c, tx, options, null);

    /// <summary>Only these people (a consequence keeping their prediction current).</summary>
    public static Task<List<PredictionSubject>> LoadAsync(DbConnection c, DbTransaction? tx, PredictionOptions options, long[] ids) =>
        LoadSomeAsync(c, tx, options, ids);

    private static async Task<List<PredictionSubject>> LoadSomeAsync(DbConnection c, DbTransaction? tx, PredictionOptions options, long[]? ids)
    {
        var dialect = SqlDialect.Of(c);
        var args = new DynamicParameters();
        args.Add("target", options.ParsedTarget.ToString());
        args.Add("lost", options.LostReason);
        string Only(string column)
        {
            if (ids is null) return "";
            var (condition, value) = dialect.InIdList(column, "@ids", ids);
            args.Add("ids", value);
            return " AND " + condition;
        }
        var people = (await c.QueryAsync<PersonRow>(PeopleSql + Only("p.id"), args, tx)).ToList();
        var reached = (await c.QueryAsync<(long, long)>(
            "SELECT person_id, reached_at FROM stage_reached WHERE stage = @target" + Only("person_id"), args, tx)).ToDictionary(r => r.Item1, r => r.Item2);
        var lost = (await c.QueryAsync<(long, long)>(
            "SELECT person_id, MIN(changed_at) FROM stage_changes WHERE (to_stage = 'Disqualified' OR (to_stage = 'Recycled' AND reason_code = @lost))" +
            Only("person_id") + " GROUP BY person_id", args, tx)).ToDictionary(r => r.Item1, r => r.Item2);
        // What the person did, not what Tandem recorded about them: stage moves, assignments, score changes and SLA breaches
        // (source 'system') follow from sales' handling and the outcome itself.
        var activities = new Dictionary<long, List<ActivityFact>>();
        foreach (var a in await c.QueryAsync<ActivityRow>(
                     "SELECT person_id, type, occurred_at, properties FROM activities WHERE person_id IS NOT NULL AND source <> 'system'" + Only("person_id"), args, tx))
        {
            if (!activities.TryGetValue(a.PersonId, out var list)) activities[a.PersonId] = list = [];
            list.Add(new ActivityFact(a.Type, a.OccurredAt, Amount(a.Properties)));
        }

        return people.Select(p => new PredictionSubject(
            new PersonSnapshot(p.Id, p.CreatedAt, Fields(p), activities.GetValueOrDefault(p.Id) ?? []),
            new OutcomeFacts(p.CreatedAt, reached.TryGetValue(p.Id, out var won) ? won : null, lost.TryGetValue(p.Id, out var gone) ? gone : null),
            // The rules model as a ranking: its fit points plus its engagement (both what the MQL definition reads).
            (p.FitScore ?? 0) + (p.EngagementScore ?? 0))).ToList();
    }

    private static Dictionary<string, string?> Fields(PersonRow p)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["company"] = p.Company, ["title"] = p.Title, ["country"] = p.Country, ["region"] = p.Region, ["city"] = p.City,
            ["industry"] = p.Industry, ["companySize"] = p.CompanySize,
            ["doNotEmail"] = p.DoNotEmail != 0 ? "yes" : "no", ["doNotCall"] = p.DoNotCall != 0 ? "yes" : "no",
            ["channel"] = p.FirstTouchChannel, ["account.industry"] = p.AccountIndustry,
        };
        var touch = Json.Read<Attribution?>(p.FirstTouch, null);
        fields["campaign"] = touch?.Campaign;
        fields["utmSource"] = touch?.UtmSource;
        fields["utmMedium"] = touch?.UtmMedium;
        fields["utmCampaign"] = touch?.UtmCampaign;
        foreach (var (name, value) in Json.Read(p.CustomFields, new Dictionary<string, string>())) fields["custom." + name] = value;
        return fields;
    }

    /// <summary>What one activity stands for: an imported total ("count": 12, "seconds": 674) is worth its number, anything else 1.</summary>
    private static double Amount(string properties)
    {
        if (!properties.Contains("\"count\"", StringComparison.Ordinal) && !properties.Contains("\"seconds\"", StringComparison.Ordinal)) return 1;
        using var doc = JsonDocument.Parse(properties);
        foreach (var name in new[] { "count", "seconds" })
            if (doc.RootElement.TryGetProperty(name, out var v))
            {
                if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
                if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            }
        return 1;
    }
}
