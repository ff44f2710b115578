using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Access;
using Tandem.Server.Web.Inbox;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Sla;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Web;

/// <summary>A rep's inbox puts the lead whose service-level deadline comes soonest first.</summary>
public abstract class InboxUrgencyTests(DatabaseProvider provider)
{
    [Fact]
    public async Task The_inbox_orders_leads_by_their_next_SLA_deadline_not_by_how_long_they_waited()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(MondayNine);
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks, services: s => { WithoutRoutingOnMql(s); WithoutReassignment(s); });
        var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync());
        var waitingLonger = await api.AssignedMqlAsync("first@acme.io", team.Ana, team.TeamId);   // first touch due 10:00
        clock.Advance(TimeSpan.FromMinutes(30));
        var assignedLater = await api.AssignedMqlAsync("second@acme.io", team.Ana, team.TeamId); // first touch due 10:30
        await api.LogAsync(waitingLonger, "call"); // its next deadline is now the accept-or-reject decision, hours away
        clock.Advance(TimeSpan.FromMinutes(45));

        var ana = await server.Database.ReadAsync(c => UserStore.FindAsync(c, null, team.Ana), ct);
        var inbox = await server.Database.ReadAsync(c => InboxQuery.OpenLeadsAsync(c, LeadScope.For(ana!)), ct);

        Assert.Equal([assignedLater, waitingLonger], inbox.Select(l => l.Id));
        Assert.Equal("first_touch", inbox[0].NextDueKind);
        Assert.Equal(MondayNine.AddMinutes(90), DateTimeOffset.FromUnixTimeMilliseconds(inbox[0].NextDueAt!.Value));
        Assert.Equal("decision", inbox[1].NextDueKind);
    }

    [Fact]
    public async Task The_person_page_shows_the_running_SLA_clocks_with_the_time_left()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(MondayNine);
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks, services: s => { WithoutRoutingOnMql(s); WithoutReassignment(s); });
        var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync());
        var lead = await api.AssignedMqlAsync("clocked@acme.io", team.Ana, team.TeamId);
        await server.Services.GetRequiredService<UserStore>().EnsureAsync("ops@corp.example", "Ops Admin", Roles.Admin, WebWorld.Password, ct);
        clock.Advance(TimeSpan.FromMinutes(20));

        using var web = await WebSession.SignInAsync(server, "ops@corp.example");
        var page = await web.GetPageAsync($"/people/{lead}");

        Assert.Contains("first touch due in 40 min", page);
        Assert.Contains("accept or reject due in", page);
    }
}

public sealed class InboxUrgencyTestsOnSqlite() : InboxUrgencyTests(DatabaseProvider.Sqlite);

public sealed class InboxUrgencyTestsOnPostgres() : InboxUrgencyTests(DatabaseProvider.Postgres);
