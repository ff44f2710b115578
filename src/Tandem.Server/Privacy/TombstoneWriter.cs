using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Privacy;

/// <summary>
/// The writes of an erasure, table by table: what names the person is deleted, what reports count is kept with its
/// free text emptied. <see cref="PersonDataExport"/> reads the same tables; a table that gains a person's data belongs
/// in both.
/// </summary>
internal static class TombstoneWriter
{
    /// <summary>The first-touch keys the campaign and channel reports read; referrers and landing pages can carry a person's data.</summary>
    private static readonly string[] TouchKeysKept = ["channel", "campaign", "utmSource", "utmMedium", "utmCampaign"];

    public static async Task<IReadOnlyDictionary<string, long>> RemoveAsync(DbConnection c, DbTransaction tx, long[] people,
        IReadOnlyList<string> emails, IReadOnlyList<(string Source, string Id)> externalIds, long now)
    {
        var d = SqlDialect.Of(c);
        var removed = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var (_, peopleValue) = d.InIdList("person_id", "@ids", people);
        string Of(string column) => d.InIdList(column, "@ids", people).Condition;
        async Task Run(string? kind, string sql, object? extra = null)
        {
            var args = new DynamicParameters(new { ids = peopleValue, now });
            if (extra is not null) args.AddDynamicParams(extra);
            var n = await c.ExecuteAsync(sql, args, tx);
            if (kind is not null && n > 0) removed[kind] = removed.GetValueOrDefault(kind) + n;
        }
        async Task<long[]> Ids(string sql) => (await c.QueryAsync<long>(sql, new { ids = peopleValue }, tx)).ToArray();
        (string Condition, object Value) List(string column, string parameter, long[] values) => d.InIdList(column, parameter, values);

        // Activities: the person's, and what their anonymous visits left before anyone knew who they were.
        var anonymous = (await c.QueryAsync<string>($"SELECT anonymous_id FROM anonymous_ids WHERE {Of("person_id")}", new { ids = peopleValue }, tx)).ToArray();
        var anonymousCondition = $"person_id IS NULL AND {d.In("anonymous_id", "@anonymous")}";
        var signatures = (await c.QueryAsync<long>(
            $"SELECT DISTINCT signature FROM activities WHERE signature IS NOT NULL AND ({Of("person_id")} OR ({anonymousCondition}))",
            new { ids = peopleValue, anonymous }, tx)).ToArray();
        await Run("activities", $"DELETE FROM activities WHERE {Of("person_id")}");
        if (anonymous.Length > 0) await Run("activities", $"DELETE FROM activities WHERE {anonymousCondition}", new { anonymous });
        // A signature holds an activity's properties; one no other activity shares would keep the person's.
        var (inSignatures, signatureValue) = List("signature", "@signatures", signatures);
        await Run(null, $"DELETE FROM activity_signatures WHERE {inSignatures} AND NOT EXISTS " +
                        "(SELECT 1 FROM activities a WHERE a.signature = activity_signatures.signature)", new { signatures = signatureValue });
        await Run("anonymousIds", $"DELETE FROM anonymous_ids WHERE {Of("person_id")}");
        await Run("externalIds", $"DELETE FROM person_external_ids WHERE {Of("person_id")}");
        await Run("mergeSnapshots", $"DELETE FROM merges WHERE {Of("survivor_id")} OR {Of("merged_id")}");

        // Notifications about the person and every delivery of them (webhook payloads, emails to reps).
        var notifications = await Ids($"SELECT id FROM notifications WHERE {Of("person_id")}");
        var (inNotifications, notificationValue) = List("notification_id", "@notifications", notifications);
        var deliveries = (await c.QueryAsync<long>($"SELECT id FROM notification_deliveries WHERE {inNotifications}",
            new { notifications = notificationValue }, tx)).ToArray();
        var (inDeliveries, deliveryValue) = List("delivery_id", "@deliveries", deliveries);
        await Run("deliveryAttempts", $"DELETE FROM delivery_attempts WHERE {inDeliveries}", new { deliveries = deliveryValue });
        await Run("deliveries", $"DELETE FROM notification_deliveries WHERE {inNotifications}", new { notifications = notificationValue });
        await Run("notifications", $"DELETE FROM notifications WHERE {Of("person_id")}");

        // Email: what was sent and what came back, consent and its proof, suppressions of their addresses; nurture.
        var sends = await Ids($"SELECT id FROM email_sends WHERE {Of("person_id")}");
        var enrollments = await Ids($"SELECT id FROM nurture_enrollments WHERE {Of("person_id")}");
        var (inSends, sendValue) = List("send_id", "@sends", sends);
        var (inEnrollments, enrollmentValue) = List("enrollment_id", "@enrollments", enrollments);
        var addresses = emails.ToArray();
        var lists = new { sends = sendValue, enrollments = enrollmentValue, addresses };
        await Run("nurtureStepRuns", $"DELETE FROM nurture_step_runs WHERE {inEnrollments} OR {inSends}", lists);
        await Run("emailEvents", $"DELETE FROM email_inbound_events WHERE {Of("person_id")} OR {inSends} OR {d.In("address", "@addresses")}", lists);
        await Run("emailSuppressions", $"DELETE FROM email_suppressions WHERE {Of("person_id")} OR {inSends} OR {d.In("address", "@addresses")}", lists);
        await Run(null, $"UPDATE stall_records SET enrollment_id = NULL WHERE {inEnrollments}", lists);
        await Run("emailsSent", $"DELETE FROM email_sends WHERE {Of("person_id")}");
        await Run("nurtureEnrollments", $"DELETE FROM nurture_enrollments WHERE {Of("person_id")}");
        await Run("consent", $"DELETE FROM email_consents WHERE {Of("person_id")}");
        await Run("consentLog", $"DELETE FROM email_consent_log WHERE {Of("person_id")}");
        await Run("topicOptOuts", $"DELETE FROM email_topic_optouts WHERE {Of("person_id")}");

        await Run("tasks", $"DELETE FROM tasks WHERE {Of("person_id")}");
        await Run("scoreHistory", $"DELETE FROM score_history WHERE {Of("person_id")}");
        await Run(null, $"DELETE FROM stall_watch WHERE {Of("person_id")}");
        await Run(null, $"DELETE FROM stall_sweep_people WHERE {Of("person_id")}");
        await Run(null, $"DELETE FROM routing_queue WHERE {Of("person_id")}");

        // Kept for the counts, emptied of words that may describe the person.
        await Run("stallStories", $"UPDATE stall_records SET story = 'Erased.', actions_log = '[]', revival_cause = NULL WHERE {Of("person_id")}");
        await Run("routingExplanations", $"UPDATE routing_decisions SET explanation = 'Erased.', details = '{{}}' WHERE {Of("person_id")}");
        await Run("notes", $"UPDATE dispositions SET note = NULL WHERE {Of("person_id")} AND note IS NOT NULL");
        await Run("notes", $"UPDATE stage_changes SET reason_text = NULL WHERE {Of("person_id")} AND reason_text IS NOT NULL");
        // Nobody works an erased lead: its running promises end, as a merged-away lead's do.
        await Run(null, $"DELETE FROM sla_reminders WHERE sent_at IS NULL AND clock_id IN (SELECT id FROM sla_clocks WHERE {Of("person_id")})");
        await Run(null, "UPDATE sla_clocks SET stopped_at = @now, stop_reason = 'erased', released_at = COALESCE(released_at, @now) " +
                        $"WHERE {Of("person_id")} AND stopped_at IS NULL AND breached_at IS NULL");

        // Import error reports quoting their address or ids, and audit entries naming their address.
        foreach (var email in emails)
        {
            var pattern = "%" + Escape(email) + "%";
            await Run("importErrors", @"DELETE FROM import_job_errors WHERE LOWER(value) LIKE @pattern ESCAPE '\'", new { pattern });
            await Run("auditEntriesScrubbed", "UPDATE audit_log SET target = 'an erased person' WHERE LOWER(target) = @email", new { email });
            await Run("auditEntriesScrubbed", @"UPDATE audit_log SET detail = NULL WHERE LOWER(detail) LIKE @pattern ESCAPE '\'", new { pattern });
        }
        foreach (var (_, id) in externalIds)
            await Run("importErrors", "DELETE FROM import_job_errors WHERE value = @id", new { id });
        return removed;
    }

    /// <summary>Empties the person's rows of everything that names them; stage, dates, channel, grade and owner stay for the reports.</summary>
    public static async Task EmptyRowsAsync(DbConnection c, DbTransaction tx, long[] people, long now)
    {
        foreach (var id in people)
        {
            var (first, last) = await c.QuerySingleAsync<(string?, string?)>("SELECT first_touch, last_touch FROM people WHERE id = @id", new { id }, tx);
            await c.ExecuteAsync(
                "UPDATE people SET email = NULL, first_name = NULL, last_name = NULL, company = NULL, title = NULL, phone = NULL, website = NULL, " +
                "country = NULL, region = NULL, city = NULL, industry = NULL, company_size = NULL, account_id = NULL, " +
                "do_not_email = 1, do_not_call = 1, unsubscribed = 1, custom_fields = '{}', field_times = '{}', locked_fields = '[]', " +
                "first_touch = @first, last_touch = @last, score_state = NULL, conversion_probability = NULL, prediction_reasons = NULL, " +
                "prediction_version = NULL, predicted_at = NULL, erased_at = @now, updated_at = @now WHERE id = @id",
                new { id, first = KeepCampaign(first), last = KeepCampaign(last), now }, tx);
        }
    }

    private static string? KeepCampaign(string? touch)
    {
        if (touch is null || JsonNode.Parse(touch) is not JsonObject source) return null;
        var kept = new JsonObject();
        foreach (var key in TouchKeysKept)
            if (source[key] is { } value) kept[key] = value.DeepClone();
        return kept.ToJsonString();
    }

    private static string Escape(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
