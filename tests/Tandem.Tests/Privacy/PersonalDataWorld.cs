using System.Net.Http.Json;
using System.Text;
using Dapper;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Import;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Privacy;

/// <summary>
/// Zelda Quist, a lead Tandem knows through every path that keeps personal data: the API, tracking before and after she
/// identified, a duplicate merged into her, a note, a stage move with a note, emails, consent, a task, a notification
/// and its webhook delivery, and an import error quoting her address. Every value that names her contains one of
/// <see cref="Traces"/>, so a scan of the whole database shows whether anything of her is left.
/// </summary>
public sealed record PersonalDataWorld(long Zelda, long Duplicate, long Other, long ImportJob)
{
    public const string Email = "zelda.quist@acme.example", PrivateEmail = "zq.private@mail.example";

    /// <summary>Text found only in Zelda's data, compared without regard to case.</summary>
    public static readonly string[] Traces = ["zelda", "quist", "zq-1", "zq.private"];

    public static async Task<PersonalDataWorld> CreateAsync(TandemServer server, HttpClient api)
    {
        var ct = TestContext.Current.CancellationToken;
        using var tracker = server.Client(await server.CreateKeyAsync(Scopes.Ingest));
        var other = (await api.CaptureLeadAsync(new { email = "other@initech.example", firstName = "Otto", lastName = "Other" })).Id();
        (await tracker.PostAsJsonAsync("/v1/page", new
        {
            anonymousId = "anon-zq-1", messageId = "zq-page-1", name = "Pricing", properties = new { title = "Pricing picked for Zelda", url = "https://acme.example/pricing?utm_source=google&utm_medium=cpc" },
            context = new { page = new { url = "https://acme.example/pricing?utm_source=google&utm_medium=cpc&who=zelda" } },
        }, ct)).EnsureSuccessStatusCode();
        var zelda = (await api.CaptureLeadAsync(new
        {
            email = Email, firstName = "Zelda", lastName = "Quist", company = "Acme", phone = "+44 20 7946 0000",
            customFields = new Dictionary<string, string> { ["favourite_colour"] = "quist teal" },
            externalIds = new[] { new { source = "crm", id = "ZQ-1" } },
            attribution = new { utmSource = "google", utmMedium = "cpc", utmCampaign = "spring", landingPage = "https://acme.example/?who=zelda" },
        })).Id();
        (await tracker.PostAsJsonAsync("/v1/identify", new
        {
            anonymousId = "anon-zq-1", userId = "user-zq-1", messageId = "zq-identify-1", traits = new { email = Email, firstName = "Zelda" },
        }, ct)).EnsureSuccessStatusCode();
        var duplicate = (await api.CaptureLeadAsync(new { email = PrivateEmail, firstName = "Zelda", title = "Quist family office" })).Id();
        (await api.PostAsJsonAsync("/api/v1/people/merge", new { survivorId = zelda, mergedId = duplicate }, ct)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/people/{zelda}/activities", new { type = "note", properties = new { text = "Zelda prefers calls after 4pm" } }, ct))
            .EnsureSuccessStatusCode();
        (await api.MoveStageAsync(zelda, "MQL", note: "Zelda asked for a demo")).EnsureSuccessStatusCode();

        // A file whose address column holds her name too: its error row quotes her.
        var job = await api.ImportBytesAsync(Encoding.UTF8.GetBytes($"email,first name\nZelda Quist <{Email}>,Zelda\n"));

        await server.Database.WriteAsync(async (c, tx) =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var send = await c.ExecuteScalarAsync<long>(
                "INSERT INTO email_sends (person_id, kind, to_address, from_address, subject, text_body, html_body, message_id, reply_token, status, queued_at, next_attempt_at, sent_at) " +
                "VALUES (@zelda, 'marketing', @Email, 'news@t.example', 'Hello Zelda', 'Dear Zelda Quist', '<p>Dear Zelda Quist</p>', 'm-zq-1@t.example', 'r-zq-1', 'sent', @now, @now, @now) RETURNING id",
                new { zelda, Email, now }, tx);
            await c.ExecuteAsync("INSERT INTO email_inbound_events (source, kind, send_id, person_id, address, detail, received_at) " +
                                 "VALUES ('raw-mime', 'reply', @send, @zelda, @Email, 'Reply from Zelda Quist', @now)", new { send, zelda, Email, now }, tx);
            await c.ExecuteAsync("INSERT INTO email_consent_log (person_id, action, basis, source, ip, at) VALUES (@zelda, 'opted_in', 'consent', 'form for Zelda', '203.0.113.7', @now)",
                new { zelda, now }, tx);
            await c.ExecuteAsync("INSERT INTO tasks (person_id, title, created_from, created_at) VALUES (@zelda, 'Call Zelda Quist', 'nurture:1:call', @now)", new { zelda, now }, tx);
            var notification = await c.ExecuteScalarAsync<long>(
                "INSERT INTO notifications (event, person_id, payload, created_at, processed_at) VALUES ('lead.assigned', @zelda, '{\"name\":\"Zelda Quist\"}', @now, @now) RETURNING id",
                new { zelda, now }, tx);
            var delivery = await c.ExecuteScalarAsync<long>(
                "INSERT INTO notification_deliveries (notification_id, channel, recipient, status, attempts, next_attempt_at, last_error, created_at, delivered_at) " +
                "VALUES (@notification, 'webhook', 'https://hooks.example/in', 'delivered', 1, @now, 'echo: Zelda Quist', @now, @now) RETURNING id",
                new { notification, now }, tx);
            await c.ExecuteAsync("INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, duration_ms, status_code, error, claimed_by) " +
                                 "VALUES (@delivery, 1, @now, 12, 200, 'body mentioned Zelda', 'test')", new { delivery, now }, tx);
        });
        return new PersonalDataWorld(zelda, duplicate, other, job.Id());
    }

    /// <summary>Every table's every value that contains one of <see cref="Traces"/>, as "table.column: value".</summary>
    public static async Task<List<string>> TracesLeftAsync(Database db) => await db.ReadAsync(async c =>
    {
        var tables = await c.QueryAsync<string>(db.IsSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
        var found = new List<string>();
        foreach (var table in tables)
            foreach (IDictionary<string, object?> row in await c.QueryAsync($"SELECT * FROM {table}"))
                foreach (var (column, value) in row)
                    if (value is string text && Traces.Any(t => text.Contains(t, StringComparison.OrdinalIgnoreCase)))
                        found.Add($"{table}.{column}: {text}");
        return found;
    });
}
