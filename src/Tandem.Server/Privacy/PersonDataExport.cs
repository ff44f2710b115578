using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Audit;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Privacy;

/// <summary>
/// GET /api/v1/people/{id}/data-export (and the admin link on the person page): a subject access request answered with
/// everything Tandem holds on one person as JSON — profile, custom fields and consent, identifiers, every activity,
/// stage history, scores, notes, emails sent and what came back, tasks, programs, routing, SLA and stall records,
/// campaign memberships, merge snapshots, notifications and import errors quoting them — including the records merged
/// into them. Each section is the table's rows as stored, instants as ISO 8601 and JSON columns as JSON, so nothing is
/// left out by a mapping that forgot a column. The export is written to the audit log in the same transaction.
/// </summary>
internal sealed class PersonDataExport(Database db, TimeProvider clock)
{
    public Task<JsonObject?> ExportAsync(long personId, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // A merged-away id answers with the survivor; an erased or unknown one with nothing.
        var live = await People.PersonStore.FindLiveAsync(c, tx, personId);
        if (live is null) return null;
        var now = clock.GetUtcNow();
        var document = await ReadAsync(c, tx, live.Id, now);
        await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), "export.person_data", $"person {live.Id}",
            new { sections = document.Where(s => s.Value is JsonArray).ToDictionary(s => s.Key, s => ((JsonArray)s.Value!).Count) });
        return document;
    }, ct);

    private static async Task<JsonObject> ReadAsync(DbConnection c, DbTransaction tx, long personId, DateTimeOffset now)
    {
        var d = SqlDialect.Of(c);
        var people = await PersonEraser.WithMergedAsync(c, tx, personId);
        var (_, ids) = d.InIdList("person_id", "@ids", people);
        string Of(string column) => d.InIdList(column, "@ids", people).Condition;
        var emails = (await c.QueryAsync<string>($"SELECT email FROM people WHERE {Of("id")} AND email IS NOT NULL", new { ids }, tx)).ToArray();
        var likeEmail = emails.Select(e => "%" + e.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%").ToArray();

        var document = new JsonObject
        {
            ["personId"] = personId,
            ["exportedAt"] = now.ToString("O"),
            ["about"] = "Everything Tandem holds on this person, including the records merged into them. Each section lists rows as stored; instants are UTC.",
        };
        async Task Section(string name, string sql, object? extra = null)
        {
            var args = new DynamicParameters(new { ids, id = personId, emails });
            if (extra is not null) args.AddDynamicParams(extra);
            var rows = await c.QueryAsync(sql, args, tx);
            var array = new JsonArray();
            foreach (IDictionary<string, object?> row in rows) array.Add(ToJson(row));
            document[name] = array;
        }

        await Section("profile", $"SELECT * FROM people WHERE id = @id");
        await Section("mergedRecords", $"SELECT * FROM people WHERE {Of("id")} AND id <> @id");
        await Section("account", "SELECT a.* FROM accounts a JOIN people p ON p.account_id = a.id WHERE p.id = @id");
        await Section("externalIds", $"SELECT * FROM person_external_ids WHERE {Of("person_id")}");
        await Section("anonymousIds", $"SELECT * FROM anonymous_ids WHERE {Of("person_id")}");
        await Section("consent", $"SELECT * FROM email_consents WHERE {Of("person_id")}");
        await Section("consentLog", $"SELECT * FROM email_consent_log WHERE {Of("person_id")} ORDER BY at, id");
        await Section("topicOptOuts", $"SELECT * FROM email_topic_optouts WHERE {Of("person_id")}");
        await Section("emailSuppressions", $"SELECT * FROM email_suppressions WHERE {Of("person_id")} OR {d.In("address", "@emails")}");
        await Section("activities", $"SELECT * FROM activities WHERE {Of("person_id")} ORDER BY occurred_at, id");
        await Section("stageHistory", $"SELECT * FROM stage_changes WHERE {Of("person_id")} ORDER BY changed_at, id");
        await Section("stagesReached", $"SELECT * FROM stage_reached WHERE {Of("person_id")} ORDER BY reached_at");
        await Section("scoreHistory", $"SELECT * FROM score_history WHERE {Of("person_id")} ORDER BY at, id");
        await Section("salesDecisions", $"SELECT * FROM dispositions WHERE {Of("person_id")} ORDER BY decided_at, id");
        await Section("emailsSent", $"SELECT * FROM email_sends WHERE {Of("person_id")} ORDER BY queued_at, id");
        await Section("emailEvents", $"SELECT * FROM email_inbound_events WHERE {Of("person_id")} OR {d.In("address", "@emails")} ORDER BY received_at, id");
        await Section("nurtureEnrollments", $"SELECT * FROM nurture_enrollments WHERE {Of("person_id")} ORDER BY entered_at, id");
        await Section("nurtureSteps", $"SELECT r.* FROM nurture_step_runs r JOIN nurture_enrollments e ON e.id = r.enrollment_id WHERE {Of("e.person_id")} ORDER BY r.at, r.id");
        await Section("tasks", $"SELECT * FROM tasks WHERE {Of("person_id")} ORDER BY created_at, id");
        await Section("campaignMemberships", $"SELECT * FROM campaign_members WHERE {Of("person_id")}");
        await Section("routingDecisions", $"SELECT * FROM routing_decisions WHERE {Of("person_id")} ORDER BY decided_at, id");
        await Section("slaClocks", $"SELECT * FROM sla_clocks WHERE {Of("person_id")} ORDER BY started_at, id");
        await Section("slaBreaches", $"SELECT * FROM sla_breaches WHERE {Of("person_id")} ORDER BY breached_at, id");
        await Section("stallRecords", $"SELECT * FROM stall_records WHERE {Of("person_id")} ORDER BY detected_at, id");
        await Section("merges", $"SELECT * FROM merges WHERE {Of("survivor_id")} OR {Of("merged_id")} ORDER BY merged_at, id");
        await Section("notifications", $"SELECT * FROM notifications WHERE {Of("person_id")} ORDER BY created_at, id");
        await Section("importErrors", likeEmail.Length == 0 ? "SELECT * FROM import_job_errors WHERE 1 = 0"
            : "SELECT * FROM import_job_errors WHERE " + string.Join(" OR ", likeEmail.Select((_, i) => $@"LOWER(value) LIKE @like{i} ESCAPE '\'")),
            likeEmail.Select((p, i) => (p, i)).Aggregate(new DynamicParameters(), (a, x) => { a.Add($"like{x.i}", x.p); return a; }));
        return document;
    }

    /// <summary>A row as JSON: camelCase names, instants (*_at) as ISO 8601, JSON text as JSON, bytes left out.</summary>
    private static JsonObject ToJson(IDictionary<string, object?> row)
    {
        var o = new JsonObject();
        foreach (var (column, value) in row)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(string.Concat(column.Split('_').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..])));
            o[name] = value switch
            {
                null or DBNull => null,
                byte[] => null,
                long ms when IsInstant(column) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O"),
                int ms when IsInstant(column) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O"),
                string text when text.Length > 1 && text[0] is '{' or '[' && TryParse(text) is { } json => json,
                string text => text,
                long n => n,
                int n => n,
                double n => n,
                float n => n,
                decimal n => n,
                bool b => b,
                _ => value.ToString(),
            };
        }
        return o;
    }

    private static bool IsInstant(string column) => column.EndsWith("_at", StringComparison.Ordinal) || column is "at" or "lease_until" or "claimed_until";

    private static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Handle(long id, PersonDataExport export, CancellationToken ct) =>
        await export.ExportAsync(id, ct) is { } document ? TypedResults.Ok(document) : Problems.NotFound("Person", id);
}
