using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;

namespace Tandem.Server.Web.Scoring;

/// <summary>
/// Why a lead sits in MQL without meeting the MQL definition now, in words: when and how it qualified (the stage
/// change into MQL keeps the scores of that moment) and what moved since — engagement decayed, fit fell, or a new
/// model scores it differently. "MQL: Not yet" on an MQL says nothing a rep can act on.
/// </summary>
internal static class MqlStanding
{
    /// <summary>The move into MQL, with the scores it was made with (null when the person was not scored then).</summary>
    public sealed record Qualification(DateTimeOffset At, string ActorType, string ActorName, bool? MetMql, string? Cell, long? Engagement,
        string? Grade, long? ModelVersion);

    /// <summary>The person's scores now.</summary>
    public sealed record Now(string Stage, bool MeetsMql, string? Cell, long? Engagement, string? Grade, long? ModelVersion);

    /// <returns>A sentence for an MQL that no longer (or never) met the definition; null otherwise.</returns>
    public static string? Describe(Now now, Qualification? q)
    {
        if (now.Stage != "MQL" || now.MeetsMql) return null;
        // A person never scored (no model published, or not yet re-scored) has no cell to quote.
        var current = now.Cell is null ? "not scored" : $"{now.Cell}, engagement {now.Engagement}";
        if (q is null)
            return now.ModelVersion is { } model
                ? $"In MQL without meeting the definition: {current} under model v{model}."
                : "In MQL without meeting the definition: not scored by any model yet.";
        var on = q.At.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture);
        if (q.MetMql != true)
        {
            var how = q.ActorType switch { "User" => $"by {q.ActorName}", "ApiKey" => $"through the API ({q.ActorName})", _ => $"by {q.ActorName}" };
            var then = q.Cell is null ? "not scored then" : $"{q.Cell}, engagement {q.Engagement} then";
            return q.Cell == now.Cell && q.Engagement == now.Engagement
                ? $"Moved to MQL on {on} {how} without meeting the definition ({current}); it still does not."
                : $"Moved to MQL on {on} {how} without meeting the definition ({then}); now {current}.";
        }
        var qualified = $"Qualified on {on} under model v{q.ModelVersion} ({q.Cell}, engagement {q.Engagement})";
        if (q.ModelVersion != now.ModelVersion)
            return $"{qualified}; model v{now.ModelVersion}, published since, scores them {current}, below its MQL definition.";
        if (now.Engagement < q.Engagement) return $"{qualified}; engagement has decayed to {now.Engagement} since.";
        if (now.Grade != q.Grade) return $"{qualified}; fit has changed to grade {now.Grade} since.";
        return $"{qualified}; they no longer meet the definition ({current}).";
    }

    public static Now NowOf(Tandem.Server.People.PersonRow p) => new(p.Stage, p.MeetsMql != 0, p.ScoreCell, p.EngagementScore, p.FitGrade, p.ScoreModelVersion);

    /// <summary>The latest move into MQL of each person.</summary>
    public static async Task<IReadOnlyDictionary<long, Qualification>> LoadAsync(DbConnection c, IReadOnlyCollection<long> personIds)
    {
        if (personIds.Count == 0) return new Dictionary<long, Qualification>();
        var ids = personIds.ToArray();
        var rows = await c.QueryAsync<(long PersonId, long ChangedAt, string ActorType, string ActorName, string? Scores)>(
            "SELECT s.person_id, s.changed_at, s.actor_type, s.actor_name, s.scores FROM stage_changes s " +
            $"WHERE s.id IN (SELECT MAX(x.id) FROM stage_changes x WHERE x.to_stage = 'MQL' AND {Storage.Sql.In(c, "x.person_id", "@ids")} GROUP BY x.person_id)",
            new { ids });
        return rows.ToDictionary(r => r.PersonId, r => Parse(r.ChangedAt, r.ActorType, r.ActorName, r.Scores));
    }

    private static Qualification Parse(long at, string actorType, string actorName, string? scores)
    {
        var when = DateTimeOffset.FromUnixTimeMilliseconds(at);
        if (string.IsNullOrEmpty(scores)) return new(when, actorType, actorName, null, null, null, null, null);
        using var doc = JsonDocument.Parse(scores);
        var s = doc.RootElement;
        bool? met = s.TryGetProperty("meetsMql", out var m) && m.ValueKind is JsonValueKind.True or JsonValueKind.False ? m.GetBoolean() : null;
        string? Str(string name) => s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long? Num(string name) => s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
        return new(when, actorType, actorName, met, Str("cell"), Num("engagement"), Str("grade"), Num("modelVersion"));
    }
}
