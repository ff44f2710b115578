using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Sla;

public abstract class SlaSettingsApiTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_calendar_with_an_unknown_time_zone_and_bad_hours_is_refused_naming_each_field()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: ManualTicks);
        using var api = await server.AdminClientAsync();

        var response = await api.PostAsJsonAsync("/api/v1/sla/calendars", new
        {
            name = "Mars office", timeZone = "Mars/Olympus",
            weeklyHours = new { monday = new[] { "17:00-09:00" }, funday = new[] { "09:00-17:00" }, tuesday = new[] { "09:00-13:00", "12:00-17:00" } },
        }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("timeZone", out _));
        Assert.True(errors.TryGetProperty("weeklyHours.monday[0]", out _));
        Assert.True(errors.TryGetProperty("weeklyHours.funday", out _));
        Assert.True(errors.TryGetProperty("weeklyHours.tuesday", out _));
        Assert.Equal(0, (await api.GetJsonAsync("/api/v1/sla/calendars")).GetArrayLength());
    }

    [Fact]
    public async Task A_policy_round_trips_and_invalid_policies_name_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: ManualTicks);
        using var api = await server.AdminClientAsync();
        var calendar = await api.CreateOfficeCalendarAsync("Europe/Berlin", "2026-12-25");
        var policyId = await api.CreateMqlPolicyAsync(calendar, grades: ["a"]);

        var policy = await api.GetJsonAsync($"/api/v1/sla/policies/{policyId}");
        Assert.Equal("A", policy.GetProperty("segment").GetProperty("grades")[0].GetString());
        Assert.Equal("days", policy.GetProperty("attempts").GetProperty("over").GetProperty("unit").GetString());
        Assert.Equal(["no-response"], policy.GetProperty("attempts").GetProperty("givingUpReasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([50, 90], policy.GetProperty("reminderPercents").EnumerateArray().Select(p => p.GetInt32()));
        Assert.True(policy.GetProperty("onBreach").GetProperty("reassign").GetBoolean());

        var bad = await api.PostAsJsonAsync("/api/v1/sla/policies", new
        {
            name = "Broken", stage = "Hot", calendarId = calendar, firstTouch = new { amount = 0, unit = "fortnights" },
            attempts = new { minimum = 0, givingUpReasons = new[] { "no-response", "ghosted" } }, reminderPercents = new[] { 150 }, segment = new { grades = new[] { "Z" } },
        }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        foreach (var field in new[] { "stage", "firstTouch.amount", "firstTouch.unit", "attempts.minimum", "attempts.over", "attempts.givingUpReasons[1]", "reminderPercents[0]", "segment.grades[0]" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");

        var unknownCalendar = await api.PostAsJsonAsync("/api/v1/sla/policies", new { name = "Orphan", stage = "MQL", calendarId = 999, decision = new { amount = 1, unit = "hours" } }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownCalendar.StatusCode);
        Assert.True((await unknownCalendar.ProblemAsync()).GetProperty("errors").TryGetProperty("calendarId", out _));
        Assert.Single((await api.GetJsonAsync("/api/v1/sla/policies")).EnumerateArray());
    }

    [Fact]
    public async Task A_calendar_in_use_cannot_be_deleted_and_a_retired_policy_starts_no_clocks()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(MondayNine);
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks);
        using var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        var calendar = await api.CreateOfficeCalendarAsync();
        var policy = await api.CreateMqlPolicyAsync(calendar);

        Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync($"/api/v1/sla/calendars/{calendar}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/sla/policies/{policy}", ct)).StatusCode);
        var lead = await api.AssignedMqlAsync("retired@acme.io", team.Ana, team.TeamId);

        Assert.Equal(0, (await api.ClocksAsync(lead)).GetArrayLength());
        Assert.Empty((await api.GetJsonAsync("/api/v1/sla/policies")).EnumerateArray());
        Assert.Single((await api.GetJsonAsync("/api/v1/sla/policies?includeInactive=true")).EnumerateArray());
    }

    [Fact]
    public async Task Changing_a_policy_applies_to_new_assignments_while_running_clocks_keep_their_promise()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(MondayNine);
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks);
        using var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        var calendar = await api.CreateOfficeCalendarAsync();
        var policy = await api.CreateMqlPolicyAsync(calendar);
        var before = await api.AssignedMqlAsync("before@acme.io", team.Ana, team.TeamId);

        var replaced = await api.PutAsJsonAsync($"/api/v1/sla/policies/{policy}", new
        {
            name = "MQL any", stage = "MQL", calendarId = calendar, firstTouch = new { amount = 2, unit = "hours" },
        }, ct);
        await replaced.EnsureSuccessWithBodyAsync();
        var after = await api.AssignedMqlAsync("after@acme.io", team.Ana, team.TeamId);

        Assert.Equal(MondayNine.AddHours(1), (await api.ClocksAsync(before)).Kind("first_touch").Instant("dueAt"));
        var clocks = await api.ClocksAsync(after);
        Assert.Equal(MondayNine.AddHours(2), Assert.Single(clocks.EnumerateArray()).Instant("dueAt"));
    }

    [Fact]
    public async Task Names_of_calendars_policies_and_commitments_are_unique()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: ManualTicks);
        using var api = await server.AdminClientAsync();
        var calendar = await api.CreateOfficeCalendarAsync();
        await api.CreateMqlPolicyAsync(calendar);
        var commitment = new { name = "Inbound", minimumMqlsPerMonth = 10, minimumAcceptancePercent = 50 };
        await (await api.PostAsJsonAsync("/api/v1/sla/commitments", commitment, ct)).EnsureSuccessWithBodyAsync();

        var calendarAgain = await api.PostAsJsonAsync("/api/v1/sla/calendars", new { name = "office utc", timeZone = "UTC", weeklyHours = new { monday = new[] { "09:00-17:00" } } }, ct);
        var policyAgain = await api.PostAsJsonAsync("/api/v1/sla/policies", new { name = "MQL ANY", stage = "MQL", calendarId = calendar, decision = new { amount = 1, unit = "days" } }, ct);
        var commitmentAgain = await api.PostAsJsonAsync("/api/v1/sla/commitments", commitment, ct);

        Assert.Equal(HttpStatusCode.Conflict, calendarAgain.StatusCode);
        Assert.True((await policyAgain.ProblemAsync()).GetProperty("errors").TryGetProperty("name", out _));
        Assert.True((await commitmentAgain.ProblemAsync()).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Only_admin_keys_change_sla_settings_and_read_keys_see_scorecards()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: ManualTicks);
        using var reader = server.Client(await server.CreateKeyAsync("read"));
        using var writer = server.Client(await server.CreateKeyAsync("write"));

        Assert.Equal(HttpStatusCode.Forbidden, (await writer.PostAsJsonAsync("/api/v1/sla/calendars", new { name = "x" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/sla/commitments", new { name = "x" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/sla/scorecards/sales", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/sla/scorecards/marketing", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().GetAsync("/api/v1/sla/policies", ct)).StatusCode);
    }

    [Fact]
    public async Task Assigning_by_hand_checks_the_user_and_team()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: ManualTicks);
        using var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        var person = await api.CaptureLeadAsync(new { email = "owner@acme.io" });

        var noUser = await api.PostAsJsonAsync($"/api/v1/people/{person.Id()}/owner", new { userId = 999 }, ct);
        var noTeam = await api.PostAsJsonAsync($"/api/v1/people/{person.Id()}/owner", new { userId = team.Ana, teamId = 999 }, ct);
        var noPerson = await api.PostAsJsonAsync("/api/v1/people/999999/owner", new { userId = team.Ana }, ct);
        await api.AssignAsync(person.Id(), team.Ana, team.TeamId);

        Assert.True((await noUser.ProblemAsync()).GetProperty("errors").TryGetProperty("userId", out _));
        Assert.True((await noTeam.ProblemAsync()).GetProperty("errors").TryGetProperty("teamId", out _));
        Assert.Equal(HttpStatusCode.NotFound, noPerson.StatusCode);
        var timeline = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/timeline?type=assigned");
        Assert.Equal(team.Ana, Assert.Single(timeline.GetProperty("items").EnumerateArray()).GetProperty("properties").GetProperty("ownerId").GetInt64());
    }

    [Fact]
    public async Task Scorecard_and_clock_filters_reject_bad_input()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: ManualTicks);
        using var api = await server.AdminClientAsync();
        Assert.True((await (await api.GetAsync("/api/v1/sla/scorecards/sales?groupBy=planet", ct)).ProblemAsync()).GetProperty("errors").TryGetProperty("groupBy", out _));
        Assert.True((await (await api.GetAsync("/api/v1/sla/scorecards/marketing?month=November", ct)).ProblemAsync()).GetProperty("errors").TryGetProperty("month", out _));
        Assert.True((await (await api.GetAsync("/api/v1/sla/clocks?state=late", ct)).ProblemAsync()).GetProperty("errors").TryGetProperty("state", out _));
        var openapi = await api.GetJsonAsync("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/sla/policies", out _));
    }
}

public sealed class SlaSettingsApiTestsOnSqlite() : SlaSettingsApiTests(DatabaseProvider.Sqlite);

public sealed class SlaSettingsApiTestsOnPostgres() : SlaSettingsApiTests(DatabaseProvider.Postgres);
