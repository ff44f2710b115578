using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Sla;

public abstract class SlaClockTests(DatabaseProvider provider)
{
    private async Task<(TandemServer Server, HttpClient Api, SalesTeam Team, ManualClock Clock)> StartAsync(DateTimeOffset at, bool withRouting = false)
    {
        var clock = new ManualClock(at);
        var server = await TandemServer.StartAsync(provider, clock, ManualTicks, services: withRouting ? NextTeamMemberReassigner.Register : WithoutReassignment);
        var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync());
        return (server, api, team, clock);
    }

    [Fact]
    public async Task Assignment_starts_the_policy_clocks_due_in_business_time()
    {
        var friday = new DateTimeOffset(2026, 11, 6, 16, 30, 0, TimeSpan.Zero);
        var (server, api, team, _) = await StartAsync(friday);
        await using var _ = server;

        var lead = await api.AssignedMqlAsync("weekend@acme.io", team.Ana, team.TeamId);

        var clocks = await api.ClocksAsync(lead);
        Assert.Equal(3, clocks.GetArrayLength());
        Assert.Equal(friday.AddDays(3).AddHours(-7), clocks.Kind("first_touch").Instant("dueAt")); // Monday 09:30
        Assert.Equal(friday.AddDays(3).AddHours(-4), clocks.Kind("decision").Instant("dueAt"));    // Monday 12:30
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 16, 30, 0, TimeSpan.Zero), clocks.Kind("attempts").Instant("dueAt"));
        Assert.All(clocks.EnumerateArray(), k => Assert.Equal(team.Ana, k.GetProperty("ownerUserId").GetInt64()));
        var inbox = await api.GetJsonAsync($"/api/v1/sla/clocks?ownerId={team.Ana}");
        Assert.Equal(["first_touch", "decision", "attempts"], inbox.EnumerateArray().Select(k => k.GetProperty("kind").GetString()));
        Assert.Equal("weekend@acme.io", inbox[0].GetProperty("person").GetProperty("email").GetString());
        Assert.Equal("MQL", inbox[0].GetProperty("person").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task A_note_does_not_stop_the_first_touch_clock_but_a_call_does_and_counts_as_an_attempt()
    {
        var (server, api, team, clock) = await StartAsync(MondayNine);
        await using var _ = server;
        var lead = await api.AssignedMqlAsync("touch@acme.io", team.Ana, team.TeamId);

        clock.Advance(TimeSpan.FromMinutes(20));
        await api.LogAsync(lead, "note");
        Assert.Equal("running", (await api.ClocksAsync(lead)).Kind("first_touch").GetProperty("state").GetString());
        clock.Advance(TimeSpan.FromMinutes(5));
        await api.LogAsync(lead, "call");

        var clocks = await api.ClocksAsync(lead);
        var touch = clocks.Kind("first_touch");
        Assert.Equal("met", touch.GetProperty("state").GetString());
        Assert.Equal("touched", touch.GetProperty("stopReason").GetString());
        Assert.Equal(25, touch.GetProperty("businessMinutesToStop").GetDouble());
        Assert.Equal(1, clocks.Kind("attempts").GetProperty("attempts").GetInt32());
        Assert.Equal("running", clocks.Kind("decision").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Accepting_stops_the_decision_clock_and_enough_attempts_meet_the_attempts_clock()
    {
        var (server, api, team, clock) = await StartAsync(MondayNine);
        await using var _ = server;
        var lead = await api.AssignedMqlAsync("accept@acme.io", team.Ana, team.TeamId);

        clock.Advance(TimeSpan.FromHours(1.5));
        (await api.MoveStageAsync(lead, "SAL")).EnsureSuccessStatusCode();
        Assert.Equal("decided", (await api.ClocksAsync(lead)).Kind("decision").GetProperty("stopReason").GetString());
        Assert.Equal("running", (await api.ClocksAsync(lead)).Kind("attempts").GetProperty("state").GetString());
        foreach (var type in new[] { "call", "email", "meeting" }) { clock.Advance(TimeSpan.FromMinutes(10)); await api.LogAsync(lead, type); }

        var attempts = (await api.ClocksAsync(lead)).Kind("attempts");
        Assert.Equal("attempts_met", attempts.GetProperty("stopReason").GetString());
        Assert.Equal(3, attempts.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Rejecting_before_the_minimum_attempts_is_recorded_as_a_breach()
    {
        var (server, api, team, clock) = await StartAsync(MondayNine);
        await using var _ = server;
        var lead = await api.AssignedMqlAsync("reject@acme.io", team.Ana, team.TeamId);
        clock.Advance(TimeSpan.FromMinutes(30));
        await api.LogAsync(lead, "call");

        (await api.MoveStageAsync(lead, "Recycled", "no-response")).EnsureSuccessStatusCode();

        var clocks = await api.ClocksAsync(lead);
        Assert.Equal("decided", clocks.Kind("decision").GetProperty("stopReason").GetString());
        Assert.Equal("breached", clocks.Kind("attempts").GetProperty("state").GetString());
        var breaches = await api.GetJsonAsync($"/api/v1/sla/breaches?ownerId={team.Ana}");
        Assert.Equal("attempts", Assert.Single(breaches.EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Rejecting_for_a_reason_outside_the_attempts_rule_after_one_call_is_no_breach()
    {
        var (server, api, team, clock) = await StartAsync(MondayNine);
        await using var _ = server;
        var lead = await api.AssignedMqlAsync("nobudget@acme.io", team.Ana, team.TeamId);
        clock.Advance(TimeSpan.FromMinutes(30));
        await api.LogAsync(lead, "call");

        // The rep reached the lead and heard "no budget": the attempts minimum is about leads that did not answer.
        (await api.MoveStageAsync(lead, "Recycled", "no-budget")).EnsureSuccessStatusCode();

        var attempts = (await api.ClocksAsync(lead)).Kind("attempts");
        Assert.Equal("closed", attempts.GetProperty("stopReason").GetString());
        Assert.NotEqual("breached", attempts.GetProperty("state").GetString());
        Assert.Empty((await api.GetJsonAsync($"/api/v1/sla/breaches?ownerId={team.Ana}")).EnumerateArray());
    }

    [Fact]
    public async Task Reminders_fire_once_each_at_half_and_ninety_percent_of_business_time()
    {
        var (server, api, team, clock) = await StartAsync(MondayNine);
        await using var _ = server;
        await api.AssignedMqlAsync("remind@acme.io", team.Ana, team.TeamId);

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, (await server.TickAsync()).RemindersSent);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await server.TickAsync()).RemindersSent); // first touch 50%
        Assert.Equal(0, (await server.TickAsync()).RemindersSent);
        clock.Advance(TimeSpan.FromMinutes(24));
        Assert.Equal(1, (await server.TickAsync()).RemindersSent); // first touch 90% at 09:54

        var reminders = (await server.Database.NotificationsAsync()).Where(n => n.Event == "sla.reminder").ToList();
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal(team.Ana, r.UserId));
    }

    [Fact]
    public async Task A_breach_records_an_event_escalates_to_the_manager_and_reassigns_to_the_next_rep()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, api, team, clock) = await StartAsync(MondayNine, withRouting: true);
        await using var _ = server;
        var lead = await api.AssignedMqlAsync("ignored@acme.io", team.Ana, team.TeamId);

        clock.Advance(TimeSpan.FromMinutes(61));
        var tick = await server.TickAsync();

        Assert.Equal(1, tick.Breaches);
        var owner = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT owner_id FROM people WHERE id = @lead", new { lead }), ct);
        Assert.Equal(team.Ben, owner);
        var breach = Assert.Single((await api.GetJsonAsync("/api/v1/sla/breaches")).EnumerateArray());
        Assert.Equal("reassigned", breach.GetProperty("action").GetString());
        Assert.Equal(team.Manager, breach.GetProperty("managerUserId").GetInt64());
        Assert.Equal(team.Ben, breach.GetProperty("reassignedToUserId").GetInt64());
        var timeline = await api.GetJsonAsync($"/api/v1/people/{lead}/timeline?type=sla_breached");
        Assert.Equal("first_touch", Assert.Single(timeline.GetProperty("items").EnumerateArray()).GetProperty("properties").GetProperty("kind").GetString());
        var notes = await server.Database.NotificationsAsync();
        Assert.Contains(("sla.escalated", team.Manager, lead), notes);
        Assert.Contains(("sla.breached", team.Ana, lead), notes);

        // Ben's own clocks start at the reassignment; Ana's stop.
        var open = await api.ClocksAsync(lead, "open");
        Assert.Equal(3, open.GetArrayLength());
        Assert.All(open.EnumerateArray(), k => Assert.Equal(team.Ben, k.GetProperty("ownerUserId").GetInt64()));
        Assert.Equal(clock.GetUtcNow().AddHours(1), open.Kind("first_touch").Instant("dueAt"));
        Assert.Equal(0, (await server.TickAsync()).Breaches);
    }

    [Fact]
    public async Task Without_routing_a_breach_escalates_and_the_lead_stays_with_its_rep()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, api, team, clock) = await StartAsync(MondayNine);
        await using var _ = server;
        var lead = await api.AssignedMqlAsync("stays@acme.io", team.Ana, team.TeamId);

        clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(2, (await server.TickAsync()).Breaches); // first touch (1h) and decision (4h)

        var breaches = (await api.GetJsonAsync("/api/v1/sla/breaches")).EnumerateArray().ToList();
        Assert.All(breaches, b => Assert.Equal("escalated", b.GetProperty("action").GetString()));
        Assert.Equal(team.Ana, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT owner_id FROM people WHERE id = @lead", new { lead }), ct));
        Assert.Equal(2, (await server.Database.NotificationsAsync()).Count(n => n.Event == "sla.escalated" && n.UserId == team.Manager));
        Assert.Equal("overdue", (await api.ClocksAsync(lead)).Kind("first_touch").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_touch_logged_late_before_any_tick_is_still_a_breach_and_the_scheduler_does_not_repeat_it()
    {
        var (server, api, team, clock) = await StartAsync(MondayNine);
        await using var _ = server;
        var lead = await api.AssignedMqlAsync("late@acme.io", team.Ana, team.TeamId);

        clock.Advance(TimeSpan.FromMinutes(75));
        await api.LogAsync(lead, "email");
        await server.TickAsync();

        var touch = (await api.ClocksAsync(lead)).Kind("first_touch");
        Assert.Equal("breached", touch.GetProperty("state").GetString());
        Assert.Equal(75, touch.GetProperty("businessMinutesToStop").GetDouble());
        var breach = Assert.Single((await api.GetJsonAsync("/api/v1/sla/breaches")).EnumerateArray());
        Assert.Equal(MondayNine.AddHours(1), breach.Instant("breachedAt"));
    }

    [Fact]
    public async Task Clocks_survive_a_restart_and_fire_on_the_next_server()
    {
        var clock = new ManualClock(MondayNine);
        string connectionString;
        long lead;
        await using (var first = await TandemServer.StartAsync(provider, clock, ManualTicks))
        {
            var api = await first.AdminClientAsync();
            var team = await SeedTeamAsync(first.Database);
            await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync());
            lead = await api.AssignedMqlAsync("restart@acme.io", team.Ana, team.TeamId);
            connectionString = first.ConnectionString;
        }

        clock.Advance(TimeSpan.FromHours(2));
        await using var second = await TandemServer.StartAsync(provider, clock, ManualTicks, connectionString);
        Assert.Equal(1, (await second.TickAsync()).Breaches);
        var breach = Assert.Single((await (await second.AdminClientAsync()).GetJsonAsync("/api/v1/sla/breaches")).EnumerateArray());
        Assert.Equal(lead, breach.GetProperty("personId").GetInt64());
    }

    [Fact]
    public async Task Clocks_follow_the_calendar_time_zone_and_holidays()
    {
        // Wednesday 25 November 2026, 16:30 in New York; Thanksgiving on Thursday.
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 21, 30, 0, TimeSpan.Zero));
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks);
        var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync("America/New_York", "2026-11-26"));

        var lead = await api.AssignedMqlAsync("holiday@acme.io", team.Ana, team.TeamId);

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 14, 30, 0, TimeSpan.Zero), (await api.ClocksAsync(lead)).Kind("first_touch").Instant("dueAt"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Routing_inside_the_move_to_MQL_starts_the_MQL_clocks_whichever_handler_runs_first(bool routingFirst)
    {
        long rep = 0;
        var clock = new ManualClock(MondayNine);
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks, services: s =>
        {
            WithoutRoutingOnMql(s);
            var routing = ServiceDescriptor.Singleton<IPersonEventHandler>(sp => new AssignOnMql(sp.GetRequiredService<AssignOwner>(), () => rep));
            if (routingFirst) s.Insert(0, routing); else s.Add(routing);
        });
        var api = await server.AdminClientAsync();
        rep = (await SeedTeamAsync(server.Database)).Ana;
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync());
        var person = await api.CaptureLeadAsync(new { email = "routed@acme.io" });

        (await api.MoveStageAsync(person.Id(), "MQL")).EnsureSuccessStatusCode();

        var open = await api.ClocksAsync(person.Id(), "open");
        Assert.Equal(3, open.GetArrayLength());
        Assert.All(open.EnumerateArray(), k => Assert.Equal(rep, k.GetProperty("ownerUserId").GetInt64()));
    }

    [Fact]
    public async Task Clocks_of_a_lead_merged_into_another_end_without_a_breach()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, api, team, clock) = await StartAsync(MondayNine);
        await using var _ = server;
        var duplicate = await api.AssignedMqlAsync("dupe@acme.io", team.Ana, team.TeamId);
        var survivor = await api.CaptureLeadAsync(new { email = "real@acme.io" });
        await (await api.PostAsJsonAsync("/api/v1/people/merge", new { survivorId = survivor.Id(), mergedId = duplicate }, ct)).EnsureSuccessWithBodyAsync();

        clock.Advance(TimeSpan.FromHours(6));

        Assert.Equal(0, (await server.TickAsync()).Breaches);
        Assert.Equal(["ended", "ended"], (await api.GetJsonAsync($"/api/v1/sla/clocks?ownerId={team.Ana}&state=all")).EnumerateArray()
            .Where(k => k.GetProperty("kind").GetString() != "attempts").Select(k => k.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Leads_no_policy_covers_get_no_clocks()
    {
        var (server, api, team, _) = await StartAsync(MondayNine);
        await using var _ = server;
        var person = await api.CaptureLeadAsync(new { email = "lead-stage@acme.io" });
        await api.AssignAsync(person.Id(), team.Ana, team.TeamId);
        Assert.Equal(0, (await api.ClocksAsync(person.Id())).GetArrayLength());

        (await api.MoveStageAsync(person.Id(), "MQL")).EnsureSuccessStatusCode(); // an owned lead becoming an MQL starts its clocks
        Assert.Equal(3, (await api.ClocksAsync(person.Id(), "open")).GetArrayLength());
    }
}

public sealed class SlaClockTestsOnSqlite() : SlaClockTests(DatabaseProvider.Sqlite);

public sealed class SlaClockTestsOnPostgres() : SlaClockTests(DatabaseProvider.Postgres);
