using System.Net.Http.Json;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Sla;

/// <summary>
/// The SLA module beside the real routing module, as the server registers them: routing rules, a team's rotation and
/// reps' availability decide who gets a lead when it qualifies and who takes it over when an SLA is breached.
/// Companions to the clock tests, which stand <see cref="AssignOnMql"/> and <see cref="NextTeamMemberReassigner"/> in for routing.
/// </summary>
public abstract class SlaWithRealRoutingTests(DatabaseProvider provider)
{
    private sealed record Desk(TandemServer Server, HttpClient Api, ManualClock Clock, long Team, long Maria, long Ana, long Ben, long Cleo);

    /// <summary>Maria manages Ana, Ben and Cleo; one round-robin rule sends every lead to their team; the MQL policy reassigns on breach.</summary>
    private async Task<Desk> StartAsync()
    {
        var clock = new ManualClock(MondayNine);
        var server = await TandemServer.StartAsync(provider, clock, ManualTicks);
        var api = await server.AdminClientAsync();
        var maria = await server.HireAsync("Maria", Roles.SalesManager);
        var (ana, ben, cleo) = (await server.HireAsync("Ana"), await server.HireAsync("Ben"), await server.HireAsync("Cleo"));
        var team = await api.CreateTeamAsync("Inbound SDR", [ana, ben, cleo], manager: maria);
        await api.CreateRuleAsync("Everyone", team);
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync(), reassign: true);
        return new Desk(server, api, clock, team, maria, ana, ben, cleo);
    }

    [Fact]
    public async Task A_lead_routed_as_it_becomes_an_MQL_starts_the_MQL_clocks_of_the_rep_routing_chose()
    {
        var desk = await StartAsync();
        await using var _ = desk.Server;
        var lead = (await desk.Api.CaptureLeadAsync(new { email = "routed@acme.io" })).Id();

        await desk.Api.QualifyAsync(lead);

        Assert.Equal(desk.Ana, await desk.Server.OwnerOfAsync(lead));
        Assert.Equal("mql", (await desk.Api.RoutingOfAsync(lead)).GetProperty("latest").GetProperty("trigger").GetString());
        var open = await desk.Api.ClocksAsync(lead, "open");
        Assert.Equal(["first_touch", "decision", "attempts"], open.EnumerateArray().Select(k => k.GetProperty("kind").GetString()));
        Assert.All(open.EnumerateArray(), k => Assert.Equal(desk.Ana, k.GetProperty("ownerUserId").GetInt64()));
        Assert.All(open.EnumerateArray(), k => Assert.Equal(desk.Team, k.GetProperty("teamId").GetInt64()));
        Assert.Equal(MondayNine.AddHours(1), open.Kind("first_touch").Instant("dueAt"));
    }

    [Fact]
    public async Task A_breach_reassigns_through_the_routing_rules_to_the_next_eligible_rep_and_says_why()
    {
        var desk = await StartAsync();
        await using var _ = desk.Server;
        (await desk.Api.PostAsJsonAsync($"/api/v1/routing/reps/{desk.Ben}/time-off",
            new { startsAt = MondayNine.AddHours(-1), endsAt = MondayNine.AddDays(2), note = "holiday" },
            TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var lead = await desk.Api.QualifyAsync((await desk.Api.CaptureLeadAsync(new { email = "ignored@acme.io" })).Id());
        Assert.Equal(desk.Ana, await desk.Server.OwnerOfAsync(lead));

        // Ana lets the first-touch hour (due 10:00) pass; the 10:01 tick finds it breached.
        desk.Clock.Advance(TimeSpan.FromMinutes(61));
        var tick = await desk.Server.TickAsync();

        // Ben is next in the rotation but away, so routing passes over him, and Ana, who broke the promise, is not
        // eligible to get it back: Cleo takes the lead.
        Assert.Equal(1, tick.Breaches);
        Assert.Equal(desk.Cleo, await desk.Server.OwnerOfAsync(lead));

        var routing = await desk.Api.RoutingOfAsync(lead);
        Assert.Equal("Cleo", routing.GetProperty("ownerName").GetString());
        var latest = routing.GetProperty("latest");
        Assert.Equal("reassign", latest.GetProperty("trigger").GetString());
        Assert.Equal(desk.Ana, latest.GetProperty("previousUserId").GetInt64());
        Assert.Equal(desk.Cleo, latest.GetProperty("userId").GetInt64());
        var why = latest.GetProperty("explanation").GetString()!;
        Assert.True(why.StartsWith("SLA breached: first touch under policy 'MQL any' was due 2026-11-02 10:00:00Z", StringComparison.Ordinal), why);
        Assert.True(why.EndsWith("; rule 1 'Everyone' matched; team Inbound SDR; round robin; " +
                                 "skipped Ben (out of office until 2026-11-04 09:00 UTC); chose Cleo", StringComparison.Ordinal), why);

        var breach = Assert.Single((await desk.Api.GetJsonAsync("/api/v1/sla/breaches")).EnumerateArray());
        Assert.Equal(lead, breach.GetProperty("personId").GetInt64());
        Assert.Equal("first_touch", breach.GetProperty("kind").GetString());
        Assert.Equal("reassigned", breach.GetProperty("action").GetString());
        Assert.Equal(desk.Ana, breach.GetProperty("ownerUserId").GetInt64());
        Assert.Equal(desk.Cleo, breach.GetProperty("reassignedToUserId").GetInt64());
        Assert.Equal(desk.Maria, breach.GetProperty("managerUserId").GetInt64());
        Assert.Equal(MondayNine.AddHours(1), breach.Instant("dueAt"));
        Assert.Equal(desk.Clock.GetUtcNow(), breach.Instant("breachedAt"));

        // Cleo's own clocks start at the reassignment; Ana's no longer run.
        var open = await desk.Api.ClocksAsync(lead, "open");
        Assert.Equal(3, open.GetArrayLength());
        Assert.All(open.EnumerateArray(), k => Assert.Equal(desk.Cleo, k.GetProperty("ownerUserId").GetInt64()));
        Assert.Equal(desk.Clock.GetUtcNow().AddHours(1), open.Kind("first_touch").Instant("dueAt"));
        var told = await desk.Server.Database.NotificationsAsync();
        Assert.Contains(("lead.assigned", desk.Cleo, lead), told);
        Assert.Contains(("sla.breached", desk.Ana, lead), told);
        Assert.Contains(("sla.escalated", desk.Maria, lead), told);
        Assert.Equal(0, (await desk.Server.TickAsync()).Breaches);
    }
}

public sealed class SlaWithRealRoutingTestsOnSqlite() : SlaWithRealRoutingTests(DatabaseProvider.Sqlite);

public sealed class SlaWithRealRoutingTestsOnPostgres() : SlaWithRealRoutingTests(DatabaseProvider.Postgres);
