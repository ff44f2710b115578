using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Notifications;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;
using System.Net.Http.Json;

namespace Tandem.Tests.Notifications;

/// <summary>Two Tandem servers sharing one PostgreSQL database deliver every notification exactly once between them.</summary>
public sealed class TwoServerDeliveryTests
{
    // The servers' own delivery loops are off: the test runs each server's delivery step (the one its loop repeats) itself,
    // both servers at once while leads qualify, and awaits every run, so when it counts nothing is still on its way.
    private static readonly Dictionary<string, string?> DeliveredByTheTest = new() { ["Tandem:Notifications:Deliver"] = "false" };

    [Fact]
    public async Task Two_servers_on_one_postgres_database_send_each_webhook_once()
    {
        TestDatabases.RequirePostgres();
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var first = await TandemServer.StartAsync(DatabaseProvider.Postgres, settings: DeliveredByTheTest);
        await using var second = await TandemServer.StartAsync(DatabaseProvider.Postgres, settings: DeliveredByTheTest, connectionString: first.ConnectionString);
        using var api = await first.AdminClientAsync();
        var reps = new[] { await first.HireAsync("Ana"), await first.HireAsync("Ben") };
        await api.CreateRuleAsync("Everyone", await api.CreateTeamAsync("Inbound", reps));
        (await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "crm", url = receiver.Url, events = new[] { "lead.assigned" } }, ct)).EnsureSuccessStatusCode();
        var leads = new List<long>();
        for (var i = 0; i < 60; i++) leads.Add((await api.CaptureLeadAsync(new { email = $"twice{i}@acme.io" })).Id());

        var qualifying = Parallel.ForEachAsync(leads, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (id, _) => await api.QualifyAsync(id));
        var delivering = new[] { first, second }.Select(server => DeliverUntilSettledAsync(server, qualifying, first.Database, ct)).ToList();
        await Task.WhenAll([qualifying, .. delivering]);

        var perDelivery = receiver.Requests.GroupBy(r => r.Headers["Tandem-Delivery"]).ToList();
        Assert.Equal(60, receiver.Requests.Count);
        Assert.Equal(60, perDelivery.Count);
        Assert.All(perDelivery, g => Assert.Single(g));
        var attempts = await first.Database.ReadAsync(c => c.QueryAsync<(long Delivery, long Count)>(
            "SELECT delivery_id, COUNT(*) FROM delivery_attempts GROUP BY delivery_id"), ct);
        Assert.Equal(60, attempts.Count());
        Assert.All(attempts, a => Assert.Equal(1, a.Count));
    }

    /// <summary>Repeats one server's delivery step, as its loop would, until every lead has qualified and the outbox has settled.</summary>
    private static async Task DeliverUntilSettledAsync(TandemServer server, Task qualifying, Database db, CancellationToken ct)
    {
        var dispatcher = server.Services.GetRequiredService<NotificationDispatcher>();
        var deadline = DateTime.UtcNow + Poll.DefaultTimeout;
        while (true)
        {
            if (await dispatcher.RunOnceAsync(ct) > 0) continue;
            if (qualifying.IsCompleted && await db.UnsettledAsync() == 0) return;
            if (DateTime.UtcNow > deadline) Assert.Fail("the outbox did not settle");
            await Task.Delay(Poll.Interval, ct); // between reads of the condition above; it decides nothing
        }
    }
}
