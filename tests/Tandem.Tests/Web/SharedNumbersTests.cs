using Dapper;
using Tandem.Server.Storage;
using Tandem.Server.Web.Home;
using Tandem.Server.Web.Inbox;
using Tandem.Server.Web.Access;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Web;

/// <summary>The home page's shared numbers and the inbox's ordering, computed on both databases.</summary>
public abstract class SharedNumbersTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Weekly_counts_place_leads_and_mqls_in_their_week_and_count_mqls_nobody_touched()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();

        var old = (await api.CaptureLeadAsync(new { email = "old@acme.io", attribution = new { utmSource = "google", utmMedium = "cpc" } })).Id();
        (await api.MoveStageAsync(old, "MQL")).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromDays(7));
        var called = (await api.CaptureLeadAsync(new { email = "called@acme.io", attribution = new { utmSource = "google", utmMedium = "cpc" } })).Id();
        (await api.MoveStageAsync(called, "MQL")).EnsureSuccessStatusCode();
        (await api.PostAsync($"/api/v1/people/{called}/activities", System.Net.Http.Json.JsonContent.Create(new { type = "call" }), ct)).EnsureSuccessStatusCode();
        await api.CaptureLeadAsync(new { email = "newsletter@acme.io", attribution = new { utmSource = "newsletter", utmMedium = "email" } });
        clock.Advance(TimeSpan.FromHours(1));

        var n = await server.Database.ReadAsync(c => SharedNumbers.ReadAsync(c, clock.GetUtcNow()), ct);

        Assert.Equal(3, n.NewLeadsTotal);
        Assert.Equal(1, n.NewLeads[^2]); // a week ago
        Assert.Equal(2, n.NewLeads[^1]); // this week
        Assert.Equal(1, n.Mqls[^2]);
        Assert.Equal(1, n.Mqls[^1]);
        Assert.Equal(2, n.MqlsTotal);
        Assert.Equal(1, n.MqlsNeverTouched);
        Assert.Equal([new SharedNumbers.Untouched("No owner", 1)], n.NeverTouchedByOwner);
        var paid = Assert.Single(n.Sources, s => s.Leads == 2);
        Assert.Equal(2, paid.Mqls);
        Assert.Contains(n.Sources, s => s.Leads == 1 && s.Mqls == 0);
    }

    [Fact]
    public async Task The_inbox_holds_only_my_open_leads_longest_waiting_first()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE people SET owner_id = @riley, stage = 'SQL' WHERE id = @id", new { riley = world.Users[WebWorld.Emails.Riley], id = world.UnownedLead }, tx), ct);
        var riley = await server.Database.ReadAsync(c => UserStore.FindAsync(c, null, world.Users[WebWorld.Emails.Riley]), ct);

        var inbox = await server.Database.ReadAsync(c => InboxQuery.OpenLeadsAsync(c, LeadScope.For(riley!)), ct);

        Assert.Equal([world.RileySecondLead, world.RileyLead], inbox.Select(l => l.Id));
    }
}

public sealed class SharedNumbersTestsOnSqlite() : SharedNumbersTests(DatabaseProvider.Sqlite);

public sealed class SharedNumbersTestsOnPostgres() : SharedNumbersTests(DatabaseProvider.Postgres);
