using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Planning;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Sla;

namespace Tandem.Tests.Planning;

/// <summary>
/// Plans over a known history, on both databases. In September four leads arrive: a and b from paid search, c and d from
/// email; a goes to SQL, b and c to MQL, d stays a lead. On 10 October c is accepted (SAL) and a fifth, paid lead e becomes
/// an MQL. Measured as a cohort: Lead 5 → MQL 4 (80 %) → SAL 2 (50 %) → SQL 1 (50 %); email's MQL → SAL is 1 of 1.
/// </summary>
public abstract class PlanApiTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset September = new(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MidNovember = new(2026, 11, 15, 0, 0, 0, TimeSpan.Zero);

    private sealed record World(TandemServer Server, ManualClock Clock, HttpClient Api, long A, long B, long C, long D, long E) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() { Api.Dispose(); await Server.DisposeAsync(); }
    }

    private async Task<World> BuildAsync()
    {
        var clock = new ManualClock(September);
        var server = await TandemServer.StartAsync(provider, clock, new Dictionary<string, string?> { ["Tandem:Planning:PacingCheckEnabled"] = "false" });
        var api = await server.AdminClientAsync();
        var paid = new { utmSource = "google", utmMedium = "cpc" };
        var mail = new { utmSource = "newsletter", utmMedium = "email" };
        var a = (await api.CaptureLeadAsync(new { email = "a@acme.io", attribution = paid })).Id();
        var b = (await api.CaptureLeadAsync(new { email = "b@acme.io", attribution = paid })).Id();
        var c = (await api.CaptureLeadAsync(new { email = "c@acme.io", attribution = mail })).Id();
        var d = (await api.CaptureLeadAsync(new { email = "d@acme.io", attribution = mail })).Id();
        foreach (var (id, stage, day) in new[] { (a, "MQL", 1), (b, "MQL", 1), (c, "MQL", 2), (a, "SAL", 3), (a, "SQL", 5) })
        {
            clock.Set(September.AddDays(day));
            await (await api.MoveStageAsync(id, stage)).EnsureSuccessWithBodyAsync();
        }
        clock.Set(new DateTimeOffset(2026, 10, 10, 10, 0, 0, TimeSpan.Zero));
        await (await api.MoveStageAsync(c, "SAL")).EnsureSuccessWithBodyAsync();
        var e = (await api.CaptureLeadAsync(new { email = "e@acme.io", attribution = paid })).Id();
        await (await api.MoveStageAsync(e, "MQL")).EnsureSuccessWithBodyAsync();
        clock.Set(MidNovember);
        return new World(server, clock, api, a, b, c, d, e);
    }

    /// <summary>
    /// Q4 2026: 100,000 of which marketing brings half at 10,000 a deal = 5 deals, half each from paid search and email;
    /// SQL→opportunity 50 % and opportunity→deal 25 % and visit→lead 2 % by hand, the rest measured; email's MQL→SAL its own.
    /// Each channel: 2.5 deals ← 10 opportunities ← 20 SQLs ← 40 SALs; paid at 50 % ← 80 MQLs ← 100 leads ← 5,000 visits,
    /// email at 100 % ← 40 MQLs ← 50 leads ← 2,500 visits.
    /// </summary>
    public static object Q4Plan(string name = "Q4 2026", long? teamId = null) => new
    {
        name, period = "quarter", start = "2026-10-01", revenueTarget = 100_000, marketingShare = 0.5, averageDealSize = 10_000,
        rates = new Dictionary<string, object>
        {
            ["visitToLead"] = new { source = "hand", value = 0.02 },
            ["sqlToOpportunity"] = new { source = "hand", value = 0.5 },
            ["opportunityToDeal"] = new { source = "hand", value = 0.25 },
        },
        channels = new object[]
        {
            new { channel = "paid search", share = 0.5 },
            new { channel = "Email", share = 0.5, rates = new Dictionary<string, object> { ["mqlToSal"] = new { source = "measured" } } },
        },
        scenarios = new object[] { new { name = "+10% MQL→SAL", rateFactors = new Dictionary<string, double> { ["mqlToSal"] = 1.1 } } },
        capacity = new { teamId, hoursPerRepPerWeek = 1.5, minutesPerAttempt = 10 },
    };

    private static JsonElement Rate(JsonElement rates, string name) => rates.EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);

    private static JsonElement Channel(JsonElement plan, string name) =>
        plan.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == name);

    [Fact]
    public async Task Measured_rates_come_from_the_history_with_their_samples_and_a_warning_when_too_small()
    {
        await using var w = await BuildAsync();
        var rates = await w.Api.GetJsonAsync("/api/v1/plans/rates?days=120");
        var all = rates.GetProperty("channels").EnumerateArray().First();
        Assert.Equal(JsonValueKind.Null, all.GetProperty("channel").ValueKind);
        var r = all.GetProperty("rates");
        Assert.Equal((0.8, 5L, 4L, true), Measured(r, "leadToMql"));
        Assert.Equal((0.5, 4L, 2L, true), Measured(r, "mqlToSal"));
        Assert.Equal((0.5, 2L, 1L, true), Measured(r, "salToSql"));
        Assert.Equal((0.0, 1L, 0L, true), Measured(r, "sqlToOpportunity"));
        Assert.Equal(JsonValueKind.Null, Rate(r, "visitToLead").GetProperty("value").ValueKind); // no tracked visits
        Assert.Equal(JsonValueKind.Null, Rate(r, "opportunityToDeal").GetProperty("value").ValueKind); // no opportunity to measure from

        var email = rates.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "Email").GetProperty("rates");
        Assert.Equal((1.0, 1L, 1L, true), Measured(email, "mqlToSal"));
        var paid = rates.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "Paid Search").GetProperty("rates");
        Assert.Equal((0.3333, 3L, 1L, true), Measured(paid, "mqlToSal"));

        // A window of the last 40 days holds only e's cohort.
        var recent = (await w.Api.GetJsonAsync("/api/v1/plans/rates?days=40")).GetProperty("channels").EnumerateArray().First().GetProperty("rates");
        Assert.Equal((1.0, 1L, 1L, true), Measured(recent, "leadToMql"));
        var bad = await w.Api.GetAsync("/api/v1/plans/rates?days=2", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty("days", out _));
    }

    [Fact]
    public async Task A_stored_plan_is_worked_back_per_channel_and_month_with_each_rate_measured_or_by_hand_and_the_capacity_check()
    {
        await using var w = await BuildAsync();
        var team = await SlaWorkspace.SeedTeamAsync(w.Server.Database);
        await w.Api.CreateMqlPolicyAsync(await w.Api.CreateOfficeCalendarAsync());
        var created = await w.Api.PostAsJsonAsync("/api/v1/plans", Q4Plan(teamId: team.TeamId), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).Id();

        var plan = await w.Api.GetJsonAsync($"/api/v1/plans/{id}");
        Assert.Equal("Q4 2026", plan.GetProperty("label").GetString());
        Assert.Equal(50_000m, plan.GetProperty("marketingRevenue").GetDecimal());
        var rates = plan.GetProperty("rates");
        Assert.Equal("measured", Rate(rates, "leadToMql").GetProperty("source").GetString());
        Assert.Equal(0.8, Rate(rates, "leadToMql").GetProperty("value").GetDouble());
        Assert.Equal(5, Rate(rates, "leadToMql").GetProperty("sample").GetInt64());
        Assert.Contains("fewer than 30", Rate(rates, "leadToMql").GetProperty("warning").GetString());
        Assert.Equal(("hand", 0.02), (Rate(rates, "visitToLead").GetProperty("source").GetString(), Rate(rates, "visitToLead").GetProperty("value").GetDouble()));

        Assert.Equal(new long?[] { 5000, 100, 80, 40, 20, 10, 3 }, Needed(Channel(plan, "Paid Search").GetProperty("needed")));
        Assert.Equal(new long?[] { 2500, 50, 40, 40, 20, 10, 3 }, Needed(Channel(plan, "Email").GetProperty("needed")));
        Assert.Equal("measured", Rate(Channel(plan, "Email").GetProperty("rates"), "mqlToSal").GetProperty("source").GetString());
        Assert.Equal("plan", Rate(Channel(plan, "Paid Search").GetProperty("rates"), "mqlToSal").GetProperty("source").GetString());
        Assert.Equal(new long?[] { 7500, 150, 120, 80, 40, 20, 5 }, Needed(plan.GetProperty("total")));
        // October holds 31 of the quarter's 92 days: 120 × 31 / 92 = 40.4 MQLs, which take 41.
        Assert.Equal([41, 40, 41], plan.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("needed").GetProperty("MQL").GetInt64()));

        // 120 MQLs in 92 days = 9.13 a week × 3 attempts (the MQL policy) × 10 minutes = 4.57 rep-hours; 3 reps × 1.5 hours = 4.5.
        var capacity = plan.GetProperty("capacity");
        Assert.Equal(3, capacity.GetProperty("attemptsPerMql").GetInt32());
        Assert.Equal(120.0 * 7 / 92 * 3 * 10 / 60, capacity.GetProperty("neededHoursPerWeek").GetDouble(), 6);
        Assert.Equal(4.5, capacity.GetProperty("availableHoursPerWeek").GetDouble());
        Assert.False(capacity.GetProperty("enough").GetBoolean());
        Assert.Contains("Inbound SDR has 4.5", capacity.GetProperty("words").GetString());

        // +10 % MQL→SAL: paid 40 / 0.55 = 72.7 MQLs, email stays at 100 %: 112.7, which take 113.
        var scenario = plan.GetProperty("scenarios").EnumerateArray().Single();
        Assert.Equal(113, scenario.GetProperty("needed").GetProperty("MQL").GetInt64());

        var current = await w.Api.GetJsonAsync("/api/v1/plans/current");
        Assert.Equal(id, current.Id());
        var list = await w.Api.GetJsonAsync("/api/v1/plans");
        Assert.Equal("2026-10-01", list.EnumerateArray().Single().GetProperty("start").GetString());
    }

    [Fact]
    public async Task Pacing_counts_what_happened_since_the_period_began_and_each_actual_lists_its_people()
    {
        await using var w = await BuildAsync();
        var id = (await (await w.Api.PostAsJsonAsync("/api/v1/plans", Q4Plan(), TestContext.Current.CancellationToken)).Content
            .ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).Id();
        var pacing = (await w.Api.GetJsonAsync($"/api/v1/plans/{id}")).GetProperty("pacing");
        Assert.Equal(45.0 / 92, pacing.GetProperty("elapsed").GetDouble(), 9);

        var total = pacing.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("channel").ValueKind == JsonValueKind.Null).GetProperty("rows");
        JsonElement Row(JsonElement rows, string step) => rows.EnumerateArray().Single(r => r.GetProperty("step").GetString() == step);
        Assert.Equal(1, Row(total, "MQL").GetProperty("actual").GetInt64());
        Assert.Equal(120 * 45.0 / 92, Row(total, "MQL").GetProperty("expectedToDate").GetDouble(), 6);
        Assert.True(Row(total, "MQL").GetProperty("behind").GetBoolean());
        Assert.Equal(1, Row(total, "SAL").GetProperty("actual").GetInt64());
        Assert.Equal(92.0 / 45, Row(total, "SAL").GetProperty("projection").GetDouble(), 6);
        // One MQL has become a SAL this quarter (100 %): the 79 SALs still to come take 79 more MQLs.
        Assert.EndsWith("At today's MQL→SAL rate (100%), 79 more MQLs by 31 Dec.", Row(total, "SAL").GetProperty("words").GetString());

        async Task<long[]> PeopleOf(JsonElement row) =>
            (await w.Api.GetJsonAsync("/api/v1/people?" + row.GetProperty("people").GetString())).GetProperty("items").EnumerateArray().Select(p => p.Id()).Order().ToArray();
        Assert.Equal([w.E], await PeopleOf(Row(total, "MQL")));
        Assert.Equal([w.C], await PeopleOf(Row(total, "SAL")));
        Assert.Equal([w.E], await PeopleOf(Row(total, "Lead")));

        var paid = pacing.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("channel").GetString() == "Paid Search").GetProperty("rows");
        Assert.Equal(1, Row(paid, "MQL").GetProperty("actual").GetInt64());
        Assert.Equal(0, Row(paid, "SAL").GetProperty("actual").GetInt64());
        Assert.Equal([w.E], await PeopleOf(Row(paid, "MQL")));
    }

    [Fact]
    public async Task A_plan_that_cannot_be_used_is_refused_field_by_field_and_only_a_plans_key_may_change_plans()
    {
        await using var w = await BuildAsync();
        var ct = TestContext.Current.CancellationToken;
        async Task<string[]> ErrorsOf(HttpResponseMessage r)
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            return (await r.ProblemAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray();
        }
        Assert.Equal(["period", "rates.mqlToSal.value", "start"], await ErrorsOf(await w.Api.PostAsJsonAsync("/api/v1/plans", new
        {
            name = "Bad", period = "week", start = "1 Oct", revenueTarget = 1, marketingShare = 0.5, averageDealSize = 1,
            rates = new { mqlToSal = new { source = "hand" } },
        }, ct)));
        Assert.Equal(["channels", "marketingShare", "start"], await ErrorsOf(await w.Api.PostAsJsonAsync("/api/v1/plans", new
        {
            name = "Bad", period = "quarter", start = "2026-11-01", revenueTarget = 1, marketingShare = 2, averageDealSize = 1,
            channels = new[] { new { channel = "Email", share = 0.7 } },
        }, ct)));

        (await w.Api.PostAsJsonAsync("/api/v1/plans", Q4Plan(), ct)).EnsureSuccessStatusCode();
        Assert.Equal(["name"], await ErrorsOf(await w.Api.PostAsJsonAsync("/api/v1/plans", Q4Plan(), ct)));

        using var reports = w.Server.Client(await w.Server.CreateKeyAsync("reports:read"));
        (await reports.GetAsync("/api/v1/plans/current", ct)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await reports.PostAsJsonAsync("/api/v1/plans", Q4Plan("Other"), ct)).StatusCode);
        using var planner = w.Server.Client(await w.Server.CreateKeyAsync("plans:write"));
        Assert.Equal(HttpStatusCode.Created, (await planner.PostAsJsonAsync("/api/v1/plans", Q4Plan("Other"), ct)).StatusCode);
        (await planner.GetAsync("/api/v1/plans", ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_active_plan_sets_marketings_monthly_MQL_commitment_in_the_service_levels_and_says_so()
    {
        await using var w = await BuildAsync();
        var ct = TestContext.Current.CancellationToken;
        var before = await w.Api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-10");
        Assert.Empty(before.GetProperty("commitments").EnumerateArray());

        var id = (await (await w.Api.PostAsJsonAsync("/api/v1/plans", Q4Plan(), ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).Id();
        // October's share of the quarter's 120 MQLs is 40.4, so 41; the plan counts on 80 SALs of 120 MQLs (67 %). October delivered one MQL (e).
        var october = (await w.Api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-10")).GetProperty("commitments").EnumerateArray().Single();
        Assert.Equal(("plan", id, 41, 67), (october.GetProperty("origin").GetString(), october.GetProperty("planId").GetInt64(),
            october.GetProperty("minimumMqlsPerMonth").GetInt32(), october.GetProperty("minimumAcceptancePercent").GetInt32()));
        Assert.Equal("Plan: Q4 2026", october.GetProperty("name").GetString());
        Assert.Equal(1, october.GetProperty("actual").GetProperty("mqls").GetInt32());
        Assert.False(october.GetProperty("volumeMet").GetBoolean());
        var november = (await w.Api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-11")).GetProperty("commitments").EnumerateArray().Single();
        Assert.Equal(40, november.GetProperty("minimumMqlsPerMonth").GetInt32());

        // A plan that is not active sets nothing; a month outside the plan's period has no plan commitment.
        var plan = Q4Plan();
        var paused = System.Text.Json.JsonSerializer.SerializeToNode(plan)!.AsObject();
        paused["active"] = false;
        (await w.Api.PutAsJsonAsync($"/api/v1/plans/{id}", paused, ct)).EnsureSuccessStatusCode();
        Assert.Empty((await w.Api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-10")).GetProperty("commitments").EnumerateArray());
    }

    [Fact]
    public async Task A_row_behind_pace_notifies_marketing_and_sales_managers_once_a_day_under_the_fake_clock()
    {
        await using var w = await BuildAsync();
        var ct = TestContext.Current.CancellationToken;
        var team = await SlaWorkspace.SeedTeamAsync(w.Server.Database);
        var maya = (await w.Server.Services.GetRequiredService<UserStore>().EnsureAsync("maya@corp.example", "Maya", Roles.Marketing, password: null, ct)).Id;
        var id = (await (await w.Api.PostAsJsonAsync("/api/v1/plans", Q4Plan(), ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).Id();
        var check = w.Server.Services.GetRequiredService<PacingCheck>();

        async Task<List<(string Event, long? UserId, string Payload)>> NotificationsAsync() => (await w.Server.Database.ReadAsync(c =>
            c.QueryAsync<(string, long?, string)>("SELECT event, user_id, payload FROM notifications WHERE event = 'plan.behind_pace' ORDER BY id"), ct)).ToList();

        // Half way through November nothing in the quarter is on pace: 7 rows for the plan and 7 for each of its two channels.
        Assert.Equal(21, await check.RunAsync(ct));
        var sent = await NotificationsAsync();
        Assert.Equal(42, sent.Count);
        Assert.Equal([team.Manager, maya], sent.Select(n => n.UserId!.Value).Distinct().Order());
        var mql = sent.Where(n => n.UserId == maya).Select(n => JsonDocument.Parse(n.Payload).RootElement)
            .Single(p => p.GetProperty("step").GetString() == "MQL" && !p.TryGetProperty("channel", out _));
        Assert.Equal((id, 1L, 120L, $"/plan?id={id}"), (mql.GetProperty("planId").GetInt64(), mql.GetProperty("actual").GetInt64(),
            mql.GetProperty("planned").GetInt64(), mql.GetProperty("link").GetString()));
        Assert.StartsWith("Behind:", mql.GetProperty("words").GetString());
        Assert.Equal(120 * 45.0 / 92, mql.GetProperty("expectedToDate").GetDouble(), 6);

        // The same day again: nothing new. The next day: each row still behind is told again.
        Assert.Equal(0, await check.RunAsync(ct));
        Assert.Equal(42, (await NotificationsAsync()).Count);
        w.Clock.Set(MidNovember.AddDays(1));
        Assert.Equal(21, await check.RunAsync(ct));
        Assert.Equal(84, (await NotificationsAsync()).Count);
    }

    private static (double Value, long Sample, long Converted, bool TooSmall) Measured(JsonElement rates, string name)
    {
        var r = Rate(rates, name);
        return (r.GetProperty("value").GetDouble(), r.GetProperty("sample").GetInt64(), r.GetProperty("converted").GetInt64(), r.GetProperty("tooSmall").GetBoolean());
    }

    private static long?[] Needed(JsonElement needed) => new[] { "Visit", "Lead", "MQL", "SAL", "SQL", "Opportunity", "Deal" }
        .Select(s => needed.GetProperty(s).ValueKind == JsonValueKind.Null ? (long?)null : needed.GetProperty(s).GetInt64()).ToArray();

}

public sealed class PlanApiTestsOnSqlite() : PlanApiTests(DatabaseProvider.Sqlite);

public sealed class PlanApiTestsOnPostgres() : PlanApiTests(DatabaseProvider.Postgres);
