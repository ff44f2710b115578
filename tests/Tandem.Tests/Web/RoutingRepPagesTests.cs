using System.Net;
using System.Net.Http.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;
using static Tandem.Tests.Web.RoutingPageSteps;

namespace Tandem.Tests.Web;

public abstract class RoutingRepPagesTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset MondayNine = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_reps_new_capacity_shows_in_the_overview_and_a_full_rep_is_unavailable()
    {
        // Monday 10:00 in Berlin: inside the working hours set below, so capacity is what makes Riley unavailable.
        await using var server = await TandemServer.StartAsync(provider, new ManualClock(MondayNine));
        var world = await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);
        var riley = world.Users[Emails.Riley];

        var saved = await admin.SubmitAsync($"/settings/routing/reps/{riley}?handler=Save", new()
        {
            ["Form.Active"] = "true", ["Form.TimeZone"] = "Europe/Berlin", ["Form.Capacity"] = "2", ["Form.DailyQuota"] = "", ["Form.Weight"] = "3",
            ["Form.Days[0]"] = "09:00-12:00, 13:00-17:00",
        }, formPage: $"/settings/routing/reps/{riley}");
        var row = RepRow(await admin.GetPageAsync("/settings/routing"), "Riley Rep");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("2 / 2", row); // Riley owns two MQLs
        Assert.Contains("at capacity (2/2 open leads)", row);
        Assert.Contains("Europe/Berlin", row);
        Assert.Contains("Mon 09:00-12:00, 13:00-17:00", row);
    }

    [Fact]
    public async Task A_rep_setting_that_is_not_a_number_is_refused_beside_its_field_and_nothing_changes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);
        var riley = world.Users[Emails.Riley];

        var response = await admin.SubmitAsync($"/settings/routing/reps/{riley}?handler=Save", new()
            { ["Form.Active"] = "true", ["Form.TimeZone"] = "Mars/Olympus", ["Form.Capacity"] = "10", ["Form.Weight"] = "500" },
            formPage: $"/settings/routing/reps/{riley}");
        var html = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("is not a known IANA time zone", html);
        Assert.Contains("Must be between 1 and 100.", html);
        Assert.Contains("value=\"Mars/Olympus\"", html);
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rep_profiles"), ct));
    }

    [Fact]
    public async Task A_rep_adds_their_own_time_off_in_their_time_zone_and_is_shown_out_of_office()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(MondayNine);
        await using var server = await TandemServer.StartAsync(provider, clock);
        var world = await WebWorld.CreateAsync(server);
        var riley = world.Users[Emails.Riley];
        using var api = await server.AdminClientAsync();
        (await api.PutAsJsonAsync($"/api/v1/routing/reps/{riley}", new { timeZone = "Europe/Berlin" }, ct)).EnsureSuccessStatusCode();
        using var session = await WebSession.SignInAsync(server, Emails.Riley);

        var added = await session.SubmitAsync($"/settings/routing/reps/{riley}?handler=AddTimeOff", new()
            { ["TimeOff.StartsAt"] = "2026-11-02T08:00", ["TimeOff.EndsAt"] = "2026-11-04T18:00", ["TimeOff.Note"] = "Conference" },
            formPage: $"/settings/routing/reps/{riley}");
        var row = RepRow(await session.GetPageAsync("/settings/routing"), "Riley Rep");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        // 18:00 in Berlin (UTC+1 in November) is 17:00 UTC.
        Assert.Contains("out of office until 2026-11-04 17:00 UTC", row);
        Assert.Contains("Conference", row);
    }

    [Fact]
    public async Task A_rep_cannot_add_time_off_for_another_rep_but_their_manager_can()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        var (jordan, ana) = (world.Users[Emails.Jordan], world.Users[Emails.Ana]);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);
        var fields = new Dictionary<string, string> { ["TimeOff.StartsAt"] = "2030-01-02T09:00", ["TimeOff.EndsAt"] = "2030-01-03T09:00" };

        var byColleague = await riley.SubmitAsync($"/settings/routing/reps/{jordan}?handler=AddTimeOff", fields, formPage: "/settings/routing");
        var byOtherTeamsManager = await sam.SubmitAsync($"/settings/routing/reps/{ana}?handler=AddTimeOff", fields, formPage: "/settings/routing");
        var byOwnManager = await sam.SubmitAsync($"/settings/routing/reps/{jordan}?handler=AddTimeOff", fields, formPage: "/settings/routing");

        Assert.Equal(HttpStatusCode.Forbidden, byColleague.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOtherTeamsManager.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, byOwnManager.StatusCode);
        Assert.Equal(jordan, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT user_id FROM rep_time_off"), ct));
    }

    [Fact]
    public async Task Time_off_is_removed_by_its_rep_and_not_by_a_colleague()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        var jordan = world.Users[Emails.Jordan];
        using var api = await server.AdminClientAsync();
        var added = await api.PostAsJsonAsync($"/api/v1/routing/reps/{jordan}/time-off",
            new { startsAt = DateTimeOffset.UtcNow.AddHours(-1), endsAt = DateTimeOffset.UtcNow.AddDays(2) }, ct);
        var id = (await added.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).Id();
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        using var own = await WebSession.SignInAsync(server, Emails.Jordan);
        Assert.Contains("out of office until", RepRow(await own.GetPageAsync("/settings/routing"), "Jordan Rep"));

        var byColleague = await riley.SubmitAsync($"/settings/routing/reps/{jordan}?handler=RemoveTimeOff", new() { ["timeOffId"] = id.ToString() },
            formPage: "/settings/routing");
        var stillThere = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rep_time_off"), ct);
        var byOwner = await own.SubmitAsync($"/settings/routing/reps/{jordan}?handler=RemoveTimeOff", new() { ["timeOffId"] = id.ToString() },
            formPage: "/settings/routing");

        Assert.Equal(HttpStatusCode.Forbidden, byColleague.StatusCode);
        Assert.Equal(1, stillThere);
        Assert.Equal(HttpStatusCode.Redirect, byOwner.StatusCode);
        Assert.Contains("Available", RepRow(await own.GetPageAsync("/settings/routing"), "Jordan Rep"));
    }
}

public sealed class RoutingRepPagesTestsOnSqlite() : RoutingRepPagesTests(DatabaseProvider.Sqlite);

public sealed class RoutingRepPagesTestsOnPostgres() : RoutingRepPagesTests(DatabaseProvider.Postgres);
