using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Import;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Privacy;

/// <summary>Retention: activities, delivery logs and import error reports older than the set days go, once a day by the server's clock.</summary>
public abstract class RetentionTests(DatabaseProvider provider)
{
    private static readonly Dictionary<string, string?> FastChecks = new() { ["Tandem:Retention:CheckSeconds"] = "0.05" };

    private static Task<long> ActivityAsync(Database db, long personId, DateTimeOffset occurred, string type) => db.WriteAsync((c, tx) =>
        c.ExecuteScalarAsync<long>("INSERT INTO activities (person_id, type, occurred_at, received_at, source, properties) " +
                                   "VALUES (@personId, @type, @at, @at, 'api', '{}') RETURNING id",
            new { personId, type, at = occurred.ToUnixTimeMilliseconds() }, tx));

    private static Task<long> DeliveryAsync(Database db, DateTimeOffset at, string status) => db.WriteAsync(async (c, tx) =>
    {
        var ms = at.ToUnixTimeMilliseconds();
        var notification = await c.ExecuteScalarAsync<long>(
            "INSERT INTO notifications (event, payload, created_at, processed_at) VALUES ('lead.assigned', '{}', @ms, @ms) RETURNING id", new { ms }, tx);
        var delivery = await c.ExecuteScalarAsync<long>(
            "INSERT INTO notification_deliveries (notification_id, channel, recipient, status, attempts, next_attempt_at, created_at) " +
            "VALUES (@notification, 'webhook', 'https://hooks.example/in', @status, 1, @ms, @ms) RETURNING id", new { notification, status, ms }, tx);
        await c.ExecuteAsync("INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, duration_ms, status_code, claimed_by) VALUES (@delivery, 1, @ms, 5, 500, 'test')",
            new { delivery, ms }, tx);
        return delivery;
    });

    private static Task<long> CountAsync(Database db, string table, string column, long id) => db.ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE {column} = @id", new { id });

    [Fact]
    public async Task The_daily_job_deletes_what_is_older_than_the_policy_keeps_by_the_servers_clock()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock, FastChecks);
        using var api = await server.AdminClientAsync();
        var db = server.Database;
        var person = (await api.CaptureLeadAsync(new { email = "kept@acme.example" })).Id();
        var start = clock.GetUtcNow();
        var oldActivity = await ActivityAsync(db, person, start.AddDays(-1), "call");
        var oldDelivery = await DeliveryAsync(db, start, "delivered");
        var pendingDelivery = await DeliveryAsync(db, start, "pending");
        var oldImport = await api.ImportBytesAsync(Encoding.UTF8.GetBytes("email\nnot-an-email\n"));
        (await api.PutAsJsonAsync("/api/v1/settings/retention", new { activitiesDays = 30, deliveryLogsDays = 30, importErrorsDays = 30 }, ct))
            .EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromDays(40));
        var recentActivity = await ActivityAsync(db, person, clock.GetUtcNow().AddDays(-2), "call");
        var recentDelivery = await DeliveryAsync(db, clock.GetUtcNow(), "delivered");
        var recentImport = await api.ImportBytesAsync(Encoding.UTF8.GetBytes("email\nalso-not-an-email\n"));
        await Poll.UntilAsync(async () => await CountAsync(db, "activities", "id", oldActivity) + await CountAsync(db, "notification_deliveries", "id", oldDelivery)
                                          + await CountAsync(db, "import_job_errors", "job_id", oldImport.Id()) == 0,
            "the retention job deleted the activity, delivery and import errors older than 30 days");

        Assert.Equal(0, await CountAsync(db, "delivery_attempts", "delivery_id", oldDelivery));
        Assert.Equal(1, await CountAsync(db, "activities", "id", recentActivity));
        Assert.Equal(1, await CountAsync(db, "notification_deliveries", "id", recentDelivery));
        Assert.Equal(1, await CountAsync(db, "notification_deliveries", "id", pendingDelivery)); // still work to do, not a log
        Assert.Equal(1, await CountAsync(db, "import_job_errors", "job_id", recentImport.Id()));
        Assert.Equal(1, await CountAsync(db, "import_jobs", "id", oldImport.Id())); // the job stays; its report went
        Assert.Equal(1, await CountAsync(db, "people", "id", person));

        // A day later the next run finds what has aged past the limit since.
        var ageing = await ActivityAsync(db, person, clock.GetUtcNow().AddDays(-29.5), "meeting");
        clock.Advance(TimeSpan.FromDays(1));
        await Poll.UntilAsync(async () => await CountAsync(db, "activities", "id", ageing) == 0, "the next day's run deleted the activity now over 30 days old");
        Assert.Equal(1, await CountAsync(db, "activities", "id", recentActivity));
    }

    [Fact]
    public async Task The_policy_is_kept_for_ever_by_default_validated_per_field_and_its_changes_audited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var writer = server.Client(await server.CreateKeyAsync(Tandem.Server.Security.Scopes.Write));

        var initial = await api.GetJsonAsync("/api/v1/settings/retention");
        var bad = await api.PutAsJsonAsync("/api/v1/settings/retention", new { activitiesDays = 0, deliveryLogsDays = 40000 }, ct);
        var denied = await writer.PutAsJsonAsync("/api/v1/settings/retention", new { activitiesDays = 30 }, ct);
        (await api.PutAsJsonAsync("/api/v1/settings/retention", new { activitiesDays = 365, importErrorsDays = 30 }, ct)).EnsureSuccessStatusCode();
        var saved = await api.GetJsonAsync("/api/v1/settings/retention");

        Assert.Equal(System.Text.Json.JsonValueKind.Null, initial.GetProperty("activitiesDays").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("activitiesDays", out _));
        Assert.True(errors.TryGetProperty("deliveryLogsDays", out _));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal((365, 30), (saved.GetProperty("activitiesDays").GetInt32(), saved.GetProperty("importErrorsDays").GetInt32()));
        var entry = Assert.Single((await api.GetJsonAsync("/api/v1/audit?action=settings.retention.changed")).GetProperty("items").EnumerateArray());
        Assert.Equal(365, entry.GetProperty("detail").GetProperty("activitiesDays").GetInt32());
    }
}

public sealed class RetentionTestsOnSqlite() : RetentionTests(DatabaseProvider.Sqlite);

public sealed class RetentionTestsOnPostgres() : RetentionTests(DatabaseProvider.Postgres);
