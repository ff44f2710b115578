using Dapper;
using Microsoft.AspNetCore.Builder;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;
using System.Net.Http.Json;

namespace Tandem.Tests.Notifications;

/// <summary>Two Tandem servers sharing one PostgreSQL database deliver every notification exactly once between them.</summary>
public sealed class TwoServerDeliveryTests
{
    [Fact]
    public async Task Two_servers_on_one_postgres_database_send_each_webhook_once()
    {
        TestDatabases.RequirePostgres();
        await using var receiver = await WebhookReceiver.StartAsync();
        var fast = new Dictionary<string, string?> { ["Tandem:Notifications:PollMilliseconds"] = "20" };
        await using var first = await TandemServer.StartAsync(DatabaseProvider.Postgres, settings: fast);
        var second = TandemApp.Build([], new Dictionary<string, string?>(fast)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Tandem:DataDir"] = TempFolder.Create("second-server"),
            ["Tandem:Database:Provider"] = "postgres",
            ["Tandem:Database:ConnectionString"] = first.Database.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await TandemApp.StartAsync(second);
        try
        {
            using var api = await first.AdminClientAsync();
            var reps = new[] { await first.HireAsync("Ana"), await first.HireAsync("Ben") };
            await api.CreateRuleAsync("Everyone", await api.CreateTeamAsync("Inbound", reps));
            (await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "crm", url = receiver.Url })).EnsureSuccessStatusCode();
            var leads = new List<long>();
            for (var i = 0; i < 60; i++) leads.Add((await api.CaptureLeadAsync(new { email = $"twice{i}@acme.io" })).Id());

            await Parallel.ForEachAsync(leads, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) => await api.QualifyAsync(id));
            var got = await receiver.WaitForAsync(r => r.Count >= 60, TimeSpan.FromSeconds(30));
            await Task.Delay(500); // a double delivery would arrive within this

            var perDelivery = receiver.Requests.GroupBy(r => r.Headers["Tandem-Delivery"]).ToList();
            Assert.Equal(60, receiver.Requests.Count);
            Assert.All(perDelivery, g => Assert.Single(g));
            var attempts = await first.Database.ReadAsync(c => c.QueryAsync<(long Delivery, long Count)>(
                "SELECT delivery_id, COUNT(*) FROM delivery_attempts GROUP BY delivery_id"));
            Assert.Equal(60, attempts.Count());
            Assert.All(attempts, a => Assert.Equal(1, a.Count));
        }
        finally
        {
            await second.StopAsync();
            await second.DisposeAsync();
        }
    }
}
