using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Nurture;
using Tandem.Tests.Routing;
using Tandem.Tests.Sla;
using static Tandem.Tests.Stall.StallWorkspace;

namespace Tandem.Tests.Stall;

public abstract class StallTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset MondayNine = SlaWorkspace.MondayNine;

    private async Task<(TandemServer Server, HttpClient Api, ManualClock Clock)> StartAsync()
    {
        var clock = new ManualClock(MondayNine);
        var server = await TandemServer.StartAsync(provider, clock, ManualTicks);
        return (server, await server.AdminClientAsync(), clock);
    }

    [Fact]
    public async Task A_lead_accepted_then_ignored_for_three_weeks_is_found_reassigned_enrolled_recycled_and_comes_back_as_revived()
    {
        var (server, api, clock) = await StartAsync();
        await using var owned = server;
        var team = await SlaWorkspace.SeedTeamAsync(server.Database);
        await api.CreateRuleAsync("Everyone to inbound", team.TeamId);
        var calendar = await api.CreateOfficeCalendarAsync();
        var revivedPolicy = await CreateRevivedPolicyAsync(api, calendar);
        var program = await api.CreateProgramAsync("Win back", "revival", new
        {
            steps = new object[]
            {
                new { key = "pause", type = "wait", duration = "7d" },
                new { key = "call", type = "task", title = "Last call to {{firstName}}" },
            },
        });
        await api.PublishRulesAsync(new
        {
            revivedSlaPolicyId = revivedPolicy,
            rules = new object[]
            {
                new
                {
                    key = "accepted-ignored", name = "Accepted and ignored", kind = "noActivity", days = 14,
                    actions = new[] { "remindOwner", "notifyManager", "reassign", "enrollRevival", "createTask", "recycle" },
                    revivalProgramId = program, task = new { title = "Call the lead back", dueInHours = 24 },
                },
            },
        });

        var lead = await api.LeadAsync("riley@northwind.example");
        await api.QualifyAsync(lead);
        Assert.Equal(team.Ana, await server.OwnerOfAsync(lead));
        await api.PostOkAsync($"/api/v1/people/{lead}/accept", new { note = "Real project" });
        var first = await api.SweepAsync();
        Assert.True(first.GetProperty("full").GetBoolean());
        Assert.Equal(0, first.GetProperty("stalled").GetInt32());

        clock.Advance(TimeSpan.FromDays(2));
        await api.LogAsync(lead, "call");
        clock.Advance(TimeSpan.FromDays(3));
        await api.LogAsync(lead, "email_opened");
        await api.LogAsync(lead, "email_opened");
        clock.Advance(TimeSpan.FromDays(9)); // 14 days after acceptance, 12 after the call: not yet
        Assert.Equal(0, (await api.SweepAsync()).GetProperty("stalled").GetInt32());

        clock.Advance(TimeSpan.FromDays(7)); // three weeks after acceptance
        var swept = await api.SweepAsync();
        Assert.Equal((1, 1), (swept.GetProperty("stalled").GetInt32(), swept.GetProperty("acted").GetInt32()));
        var stall = await api.StallOfAsync(lead);
        Assert.Equal("Accepted by Ana 21 days ago; 1 call attempt; no activity since 19 days ago; the lead opened 2 emails since", stall.S("story"));
        Assert.Equal(("acted", "SAL", "Accepted and ignored", true), (stall.S("state"), stall.S("stage"), stall.S("ruleName"), stall.GetProperty("awaitingRevival").GetBoolean()));
        var done = stall.GetProperty("actions").EnumerateArray().Select(a => (a.S("action"), a.S("outcome"))).ToList();
        Assert.Equal(["remindOwner", "notifyManager", "reassign", "enrollRevival", "createTask", "recycle"], done.Select(d => d.Item1));
        Assert.Equal("reminded Ana", done[0].Item2);
        Assert.Equal("notified Maria Manager (manager)", done[1].Item2);
        Assert.StartsWith("reassigned to Ben: Stalled under 'Accepted and ignored'", done[2].Item2);
        Assert.Equal("enrolled in 'Win back'", done[3].Item2);
        Assert.Equal("task for Ben: Call the lead back", done[4].Item2);
        Assert.Equal("moved from SAL to Recycled (reason stalled)", done[5].Item2);

        Assert.Equal("Recycled", await server.Database.StageOfAsync(lead));
        var history = await server.Database.ReadAsync(c => c.QueryFirstAsync<(string Reason, string Actor, string Text)>(
            "SELECT reason_code, actor_name, reason_text FROM stage_changes WHERE person_id = @lead ORDER BY id DESC LIMIT 1", new { lead }),
            TestContext.Current.CancellationToken);
        Assert.Equal(("stalled", "Stall rule 'Accepted and ignored'"), (history.Reason, history.Actor));
        Assert.Contains("Accepted by Ana 21 days ago", history.Text);
        var told = await server.Database.NotificationsAsync();
        Assert.Contains(("lead.stalled", team.Ana, lead), told);
        Assert.Contains(("lead.stalled", team.Manager, lead), told);
        Assert.Equal(1, await server.Database.CountAsync("SELECT COUNT(*) FROM tasks WHERE person_id = @lead AND owner_id = @Ben AND title = 'Call the lead back'",
            new { lead, team.Ben }));
        var enrollment = await api.EnrollmentOfAsync(lead, program);
        Assert.Equal("active", enrollment.Status());

        // A sweep with nothing new finds nothing and acts on nothing.
        var quiet = await api.SweepAsync();
        Assert.Equal((0, 0), (quiet.GetProperty("stalled").GetInt32(), quiet.GetProperty("acted").GetInt32()));

        // Two days later the lead replies to the program's second step: revived, back to sales as an MQL.
        clock.Advance(TimeSpan.FromDays(2));
        await server.Services.GetRequiredService<Consequences>().WriteAsync((c, tx) =>
        {
            server.Services.GetRequiredService<PersonEvents>().Raise(tx, new EmailEventRecorded(lead, EmailEventKind.Replied, null, program,
                enrollment.Id(), "call", Actor.System("test")));
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);
        var revived = await api.StallOfAsync(lead, "revived");
        Assert.Equal(("replied", "replied to step 2 of 'Win back'"), (revived.S("revivalKind"), revived.S("revivalCause")));
        Assert.Equal("MQL", await server.Database.StageOfAsync(lead));
        var owner = await server.OwnerOfAsync(lead);
        Assert.Equal(team.Cleo, owner); // round robin carries on after Ana and Ben
        Assert.Equal(owner, revived.GetProperty("revivedOwnerId").GetInt64());
        Assert.Contains(("lead.revived", team.Cleo, lead), await server.Database.NotificationsAsync());
        var payload = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT payload FROM notifications WHERE event = 'lead.revived' AND person_id = @lead", new { lead }), TestContext.Current.CancellationToken);
        Assert.Contains("Accepted by Ana 21 days ago", payload);
        var clocks = await api.ClocksAsync(lead, "open");
        var firstTouch = clocks.Kind("first_touch");
        Assert.Equal(revivedPolicy, firstTouch.GetProperty("policyId").GetInt64());
        Assert.Equal(clock.GetUtcNow().AddHours(1), firstTouch.Instant("dueAt")); // Wednesday 09:00 + 1 business hour
        Assert.Equal("exited", (await api.EnrollmentOfAsync(lead, program)).Status());

        // Followed through the closed loop: accepted, opportunity, won — and the report counts it.
        await api.PostOkAsync($"/api/v1/people/{lead}/accept", new { note = "Back in play" });
        await api.PostOkAsync($"/api/v1/people/{lead}/opportunity", new { amount = 12000 });
        await api.PostOkAsync($"/api/v1/people/{lead}/won", new { amount = 15000 });
        var report = await api.GetJsonAsync("/api/v1/stalls/report?by=rule");
        var line = Assert.Single(report.GetProperty("lines").EnumerateArray());
        Assert.Equal(("Accepted and ignored", 1, 1, 1.0), (line.S("key"), line.GetProperty("entered").GetInt64(), line.GetProperty("revived").GetInt64(),
            line.GetProperty("revivalRate").GetDouble()));
        Assert.Equal((1, 1, 12000m, 15000m), (line.GetProperty("acceptedAfter").GetInt64(), line.GetProperty("wonAfter").GetInt64(),
            line.GetProperty("pipelineRecovered").GetDecimal(), line.GetProperty("revenueRecovered").GetDecimal()));
        Assert.Equal(48.0, line.GetProperty("avgHoursToRevive").GetDouble());
        var csv = await api.GetStringAsync("/api/v1/stalls/report?by=program&format=csv", TestContext.Current.CancellationToken);
        Assert.Contains("Win back,1,1,1,48,1,1,12000,15000", csv);
    }

    [Fact]
    public async Task No_owner_touch_counts_business_hours_in_new_york_and_a_touch_closes_the_stall()
    {
        var (server, api, clock) = await StartAsync();
        await using var owned = server;
        var team = await SlaWorkspace.SeedTeamAsync(server.Database);
        var calendar = await api.CreateOfficeCalendarAsync("America/New_York");
        await api.PublishRulesAsync(new
        {
            rules = new object[] { new { key = "untouched", name = "Nobody called", kind = "noOwnerTouch", hours = 4, calendarId = calendar, actions = new[] { "remindOwner" } } },
        });
        // Friday 6 November 15:00 New York (20:00 UTC): two business hours left that day.
        clock.Advance(new DateTimeOffset(2026, 11, 6, 20, 0, 0, TimeSpan.Zero) - clock.GetUtcNow());
        var lead = await api.AssignedMqlAsync("sam@contoso.example", team.Ana, team.TeamId);
        clock.Advance(TimeSpan.FromHours(6)); // Friday 21:00 New York
        Assert.Equal(0, (await api.SweepAsync()).GetProperty("stalled").GetInt32());
        clock.Advance(new DateTimeOffset(2026, 11, 9, 15, 59, 0, TimeSpan.Zero) - clock.GetUtcNow()); // Monday 10:59 New York: 3h59m
        Assert.Equal(0, (await api.SweepAsync()).GetProperty("stalled").GetInt32());
        clock.Advance(TimeSpan.FromMinutes(1)); // Monday 11:00 New York: 4 business hours
        var swept = await api.SweepAsync();
        Assert.Equal((1, 1), (swept.GetProperty("stalled").GetInt32(), swept.GetProperty("acted").GetInt32()));
        var stall = await api.StallOfAsync(lead);
        Assert.Equal("Assigned to Ana 2 days ago (4 business hours); no call, email or meeting", stall.S("story"));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 16, 0, 0, TimeSpan.Zero), stall.GetProperty("stalledSince").GetDateTimeOffset());
        Assert.Contains(("lead.stalled", team.Ana, lead), await server.Database.NotificationsAsync());

        // Ana calls: the next sweep closes the stall, and nothing is stalled any more.
        await api.LogAsync(lead, "call");
        var after = await api.SweepAsync();
        Assert.Equal(1, after.GetProperty("closed").GetInt32());
        var closed = await api.StallOfAsync(lead, "closed");
        Assert.Equal("the owner touched the lead", closed.S("closeReason"));
        Assert.Empty((await api.StallsAsync()).EnumerateArray());
    }

    [Fact]
    public async Task Rules_are_checked_field_by_field_previewed_before_publishing_and_need_the_stalls_scope()
    {
        var (server, api, clock) = await StartAsync();
        await using var owned = server;
        var bad = await api.PutAsJsonAsync("/api/v1/stalls/rules/draft", new
        {
            rules = new object[] { new { key = "r", name = "Recycled", kind = "recycledFor", days = 30, actions = new[] { "enrollRevival" }, revivalProgramId = 999 } },
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty("rules[0].revivalProgramId", out _));
        var worse = await api.PutAsJsonAsync("/api/v1/stalls/rules/draft", new { rules = new object[] { new { key = "x", name = "X", kind = "rotting", actions = Array.Empty<string>() } } },
            TestContext.Current.CancellationToken);
        Assert.True((await worse.ProblemAsync()).GetProperty("errors").TryGetProperty("rules[0].kind", out _));

        var lead = await api.LeadAsync("old@fabrikam.example");
        (await api.MoveStageAsync(lead, "Recycled", "not-ready")).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromDays(31));
        await (await api.PutAsJsonAsync("/api/v1/stalls/rules/draft", new
        {
            rules = new object[] { new { key = "recycled", name = "Due for revival", kind = "recycledFor", days = 30, actions = Array.Empty<string>() } },
        }, TestContext.Current.CancellationToken)).EnsureSuccessWithBodyAsync();
        var preview = await (await api.PostAsync("/api/v1/stalls/rules/preview", null, TestContext.Current.CancellationToken)).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var rule = Assert.Single(preview.GetProperty("rules").EnumerateArray());
        Assert.Equal(1, rule.GetProperty("stalledNow").GetInt64());
        Assert.Equal("Recycled 31 days ago (not-ready)", Assert.Single(rule.GetProperty("first").EnumerateArray()).S("story"));
        // A draft finds nothing until it is published.
        Assert.Equal(0, (await api.SweepAsync()).GetProperty("stalled").GetInt32());
        await (await api.PostAsync("/api/v1/stalls/rules/publish", null, TestContext.Current.CancellationToken)).EnsureSuccessWithBodyAsync();
        var swept = await api.SweepAsync();
        Assert.True(swept.GetProperty("full").GetBoolean());
        Assert.Equal(1, swept.GetProperty("stalled").GetInt32());
        var again = await api.SweepAsync();
        Assert.Equal((false, 0, 0), (again.GetProperty("full").GetBoolean(), again.GetProperty("examined").GetInt32(), again.GetProperty("stalled").GetInt32()));

        var reader = server.Client(await server.CreateKeyAsync("read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/stalls", TestContext.Current.CancellationToken)).StatusCode);
        var stalls = server.Client(await server.CreateKeyAsync("stalls:read"));
        Assert.Equal(HttpStatusCode.OK, (await stalls.GetAsync("/api/v1/stalls", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stalls.PostAsync("/api/v1/stalls/sweep", null, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task A_recycled_lead_that_fills_a_form_is_revived_and_one_the_revival_program_never_reached_is_disqualified()
    {
        var (server, api, clock) = await StartAsync();
        await using var owned = server;
        var program = await api.CreateProgramAsync("Still there?", "revival", new { steps = new object[] { new { key = "pause", type = "wait", duration = "1d" } } });
        var quiet = await api.LeadAsync("quiet@litware.example");
        var keen = await api.LeadAsync("keen@litware.example");
        foreach (var lead in new[] { quiet, keen }) (await api.MoveStageAsync(lead, "Recycled", "not-ready")).EnsureSuccessStatusCode();
        await api.PublishRulesAsync(new
        {
            rules = new object[]
            {
                new
                {
                    key = "due", name = "Due for revival", kind = "recycledFor", days = 30, actions = new[] { "enrollRevival" }, revivalProgramId = program,
                    disqualifyWhenProgramEnds = true,
                },
            },
        });
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(2, (await api.SweepAsync()).GetProperty("acted").GetInt32());
        await server.TickNurtureAsync(); // the program's wait begins

        // One fills in a form: revived, and back to sales as an MQL (no routing rule here, so it waits in the queue).
        await api.PostOkAsync($"/api/v1/people/{keen}/activities", new { type = "form_submitted", properties = new { form = "contact-us" } });
        var revived = await api.StallOfAsync(keen, "revived");
        Assert.Equal(("form", "filled in the form 'contact-us'"), (revived.S("revivalKind"), revived.S("revivalCause")));
        Assert.Equal("MQL", await server.Database.StageOfAsync(keen));
        Assert.Equal(1, await server.Database.CountAsync("SELECT COUNT(*) FROM activities WHERE person_id = @keen AND type = 'stall_revived'", new { keen }));

        // The other never answers: the program ends, and the rule disqualifies the lead with the reason no-response.
        clock.Advance(TimeSpan.FromDays(1));
        await server.TickNurtureAsync();
        Assert.Equal(1, (await api.SweepAsync()).GetProperty("programsEnded").GetInt32());
        Assert.Equal("Disqualified", await server.Database.StageOfAsync(quiet));
        Assert.Equal(1, await server.Database.CountAsync(
            "SELECT COUNT(*) FROM stage_changes WHERE person_id = @quiet AND to_stage = 'Disqualified' AND reason_code = 'no-response' AND actor_name = @actor",
            new { quiet, actor = "Stall rule 'Due for revival'" }));
        var closed = await api.StallOfAsync(quiet, "closed");
        Assert.Equal("'Still there?' ended with no response: disqualified", closed.S("closeReason"));
        Assert.Equal(0, (await api.SweepAsync()).GetProperty("programsEnded").GetInt32());
    }

    /// <summary>"Revived lead: first touch within 1 business hour", inactive so ordinary MQLs never match it.</summary>
    private static async Task<long> CreateRevivedPolicyAsync(HttpClient api, long calendarId)
    {
        var response = await api.PostAsJsonAsync("/api/v1/sla/policies", new
        {
            name = "Revived lead", stage = "MQL", calendarId, priority = 1, segment = new { grades = Array.Empty<string>() },
            firstTouch = new { amount = 1, unit = "hours" }, reminderPercents = Array.Empty<int>(),
            onBreach = new { notifyManager = true, reassign = false }, active = false,
        });
        await response.EnsureSuccessWithBodyAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).Id();
    }
}

public sealed class StallTestsOnSqlite() : StallTests(DatabaseProvider.Sqlite);

public sealed class StallTestsOnPostgres() : StallTests(DatabaseProvider.Postgres);
