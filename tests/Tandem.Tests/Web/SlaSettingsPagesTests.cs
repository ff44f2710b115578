using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Sla;
using static Tandem.Tests.Infrastructure.WebWorld;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Web;

/// <summary>The service-level settings pages, as a browser posts them: admins change the agreement, everyone reads it.</summary>
public abstract class SlaSettingsPagesTests(DatabaseProvider provider)
{
    private async Task<(TandemServer Server, WebWorld World, ManualClock Clock)> StartAsync()
    {
        var clock = new ManualClock(MondayNine);
        var server = await TandemServer.StartAsync(provider, clock, ManualTicks, services: s => { WithoutRoutingOnMql(s); WithoutReassignment(s); });
        return (server, await WebWorld.CreateAsync(server), clock);
    }

    private static Dictionary<string, string> Policy(long calendarId, string name = "Inbound MQL", string firstTouch = "4") => new()
    {
        ["Form.Name"] = name, ["Form.Stage"] = "MQL", ["Form.Priority"] = "10", ["Form.CalendarId"] = calendarId.ToString(),
        ["Form.FirstTouchAmount"] = firstTouch, ["Form.FirstTouchUnit"] = "hours", ["Form.DecisionAmount"] = "", ["Form.DecisionUnit"] = "days",
        ["Form.AttemptsMinimum"] = "", ["Form.AttemptsOverAmount"] = "", ["Form.AttemptsOverUnit"] = "days", ["Form.ReminderPercents"] = "50, 80",
        ["Form.Sources"] = "", ["Form.NotifyManager"] = "true", ["Form.Reassign"] = "false", ["Form.Active"] = "true",
    };

    [Fact]
    public async Task A_week_or_month_that_cannot_be_read_is_said_so_and_a_good_one_is_shown_without_a_word()
    {
        var (server, _, _) = await StartAsync();
        await using var _server = server;
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        var bad = await sam.GetPageAsync("/settings/sla?week=2026-W60&month=2026-13");
        var good = await sam.GetPageAsync("/settings/sla?week=2026-W45&month=2026-11");

        Assert.Contains("&#x27;2026-W60&#x27; is not a week such as", bad);
        Assert.Contains("&#x27;2026-13&#x27; is not a month such as", bad);
        Assert.DoesNotContain("period-notice", good);
        Assert.Contains("Sales scorecard · Nov 2", System.Net.WebUtility.HtmlDecode(good));
    }

    [Fact]
    public async Task A_calendar_and_policy_made_on_the_pages_give_a_newly_assigned_lead_the_promised_due_time()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, world, _) = await StartAsync();
        await using var _server = server;
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);
        using var api = await server.AdminClientAsync();

        var calendar = await admin.SubmitAsync("/settings/sla/calendars/new", new()
        {
            ["Form.Name"] = "Office with lunch", ["Form.TimeZone"] = "UTC", ["Form.Hours[monday]"] = "09:00-12:00, 13:00-17:00",
            ["Form.Hours[tuesday]"] = "09:00-17:00", ["Form.Hours[saturday]"] = "", ["Form.Holidays"] = "2026-12-25 Christmas Day\n2026-12-26",
        });
        var calendarId = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM sla_calendars WHERE name = 'Office with lunch'"), ct);
        var policy = await admin.SubmitAsync("/settings/sla/policies/new", Policy(calendarId), formPage: "/settings/sla/policies/new");
        var lead = await api.AssignedMqlAsync("lunch@acme.io", world.Users[Emails.Riley], null);
        var clocks = await api.ClocksAsync(lead);

        Assert.Equal(HttpStatusCode.Redirect, calendar.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, policy.StatusCode);
        // Four business hours from Monday 09:00 with a lunch hour off: 09-12 and 13-14.
        Assert.Equal(MondayNine.AddHours(5), clocks.Kind("first_touch").Instant("dueAt"));
        var overview = WebUtility.HtmlDecode(await admin.GetPageAsync("/settings/sla"));
        Assert.Contains("first touch within 4 business hours", overview);
        Assert.Contains("Mon 09:00–12:00, 13:00–17:00 · Tue 09:00–17:00", overview);
        Assert.Contains("at 50% and 80% of the time", overview);
    }

    [Fact]
    public async Task An_invalid_policy_comes_back_as_typed_with_each_error_beside_its_field_and_nothing_is_written()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, _, _) = await StartAsync();
        await using var _server = server;
        using var api = await server.AdminClientAsync();
        var calendarId = await api.CreateOfficeCalendarAsync();
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var fields = Policy(calendarId, name: "  ", firstTouch: "soon");
        fields["Form.ReminderPercents"] = "50, 150";
        fields["Form.AttemptsMinimum"] = "3";
        var response = await admin.SubmitAsync("/settings/sla/policies/new", fields);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(ct));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Matches("id=\"f-name-error\">A policy name is required", page);
        Assert.Matches("id=\"first-touch-error\">Must be a whole number between 1 and 100000", page);
        Assert.Matches("id=\"attempts-error\">The period for the attempts is required", page);
        Assert.Matches("id=\"f-reminders-error\">Must be between 1 and 99", page);
        Assert.Contains("value=\"soon\"", page);
        Assert.Contains("value=\"50, 150\"", page);
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_policies"), ct));
    }

    [Fact]
    public async Task A_refused_calendar_shows_each_days_error_beside_that_day_and_holiday_errors_by_line()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, _, _) = await StartAsync();
        await using var _server = server;
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var response = await admin.SubmitAsync("/settings/sla/calendars/new", new()
        {
            ["Form.Name"] = "Mars office", ["Form.TimeZone"] = "Mars/Olympus", ["Form.Hours[monday]"] = "17:00-09:00",
            ["Form.Hours[tuesday]"] = "09:00-13:00, 12:00-17:00", ["Form.Holidays"] = "2026-12-25 Christmas\nsometime in spring",
        });
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(ct));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Matches("id=\"c-zone-error\">'Mars/Olympus' is not a known IANA time zone", page);
        Assert.Matches("id=\"c-monday-error\">'17:00-09:00' is not an interval", page);
        Assert.Matches("id=\"c-tuesday-error\">Intervals 09:00-13:00 and 12:00-17:00 overlap", page);
        Assert.Matches("id=\"c-holidays-error\">Line 2: A date \\(YYYY-MM-DD\\) is required", page);
        Assert.DoesNotContain("id=\"c-wednesday-error\"", page);
        Assert.Contains("sometime in spring</textarea>", page);
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_calendars"), ct));
    }

    [Fact]
    public async Task A_calendar_named_like_another_is_refused_beside_its_name()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, _, _) = await StartAsync();
        await using var _server = server;
        using var api = await server.AdminClientAsync();
        await api.CreateOfficeCalendarAsync("UTC");
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var response = await admin.SubmitAsync("/settings/sla/calendars/new", new()
            { ["Form.Name"] = "office utc", ["Form.TimeZone"] = "UTC", ["Form.Hours[monday]"] = "09:00-17:00" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Matches("id=\"c-name-error\">Another calendar is already called 'office utc'", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(ct)));
        Assert.Equal(1, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_calendars"), ct));
    }

    [Fact]
    public async Task A_commitment_made_on_the_page_is_scored_on_the_marketing_scorecard()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, _, _) = await StartAsync();
        await using var _server = server;
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var created = await admin.SubmitAsync("/settings/sla/commitments/new", new()
        {
            ["Form.Name"] = "Inbound MQLs", ["Form.MinimumMqlsPerMonth"] = "40", ["Form.MinimumAcceptancePercent"] = "60%", ["Form.Sources"] = "", ["Form.Active"] = "true",
        });
        var refused = await admin.SubmitAsync("/settings/sla/commitments/new", new()
        {
            ["Form.Name"] = "Inbound MQLs", ["Form.MinimumMqlsPerMonth"] = "lots", ["Form.MinimumAcceptancePercent"] = "60", ["Form.Active"] = "true",
        });
        var page = WebUtility.HtmlDecode(await admin.GetPageAsync("/settings/sla?month=2026-11"));
        var scores = Regex.Match(page, "data-testid=\"commitment-scores\">.*?</table>", RegexOptions.Singleline).Value;

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Matches("id=\"m-mqls-error\">Required: the MQLs marketing promises per month", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(ct)));
        Assert.Contains("Inbound MQLs", scores);
        // Nov 2, 09:00: 33 hours of the month's 720 are gone, so 40 a month expects 2 by now and 3 is on pace, not short.
        Assert.Matches(@"3 / 40 <span class=""badge badge-met"">on pace</span>", scores);
        Assert.Contains("expected 2 by Nov 2", scores);
        Assert.Contains("at least 40 MQLs a month, 60% of them accepted", page);
    }

    [Fact]
    public async Task Deleting_a_calendar_a_policy_uses_is_refused_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, _, _) = await StartAsync();
        await using var _server = server;
        using var api = await server.AdminClientAsync();
        var calendarId = await api.CreateOfficeCalendarAsync();
        await api.CreateMqlPolicyAsync(calendarId);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var response = await admin.SubmitAsync("/settings/sla?handler=DeleteCalendar", new() { ["id"] = calendarId.ToString() });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("SLA policies use this calendar; point them at another calendar first.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(ct)));
        Assert.Equal(1, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_calendars"), ct));
    }

    [Fact]
    public async Task Only_admins_may_change_service_levels_every_other_post_is_forbidden_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, _, _) = await StartAsync();
        await using var _server = server;
        using var api = await server.AdminClientAsync();
        var calendarId = await api.CreateOfficeCalendarAsync();
        var policyId = await api.CreateMqlPolicyAsync(calendarId);

        foreach (var email in new[] { Emails.Marketing, Emails.Manager, Emails.Riley })
        {
            using var web = await WebSession.SignInAsync(server, email);
            var posts = new (string Action, string Form, Dictionary<string, string> Fields)[]
            {
                ("/settings/sla/policies/new", "/settings/sla/policies/new", Policy(calendarId, name: "Sneaky")),
                ($"/settings/sla/policies/{policyId}", $"/settings/sla/policies/{policyId}", Policy(calendarId, name: "Renamed")),
                ("/settings/sla/calendars/new", "/settings/sla/calendars/new", new() { ["Form.Name"] = "Sneaky", ["Form.TimeZone"] = "UTC", ["Form.Hours[monday]"] = "09:00-17:00" }),
                ("/settings/sla/commitments/new", "/settings/sla/commitments/new", new() { ["Form.Name"] = "Sneaky", ["Form.MinimumMqlsPerMonth"] = "1", ["Form.MinimumAcceptancePercent"] = "1" }),
                ("/settings/sla?handler=RetirePolicy", "/settings/sla", new() { ["id"] = policyId.ToString() }),
                ("/settings/sla?handler=DeleteCalendar", "/settings/sla", new() { ["id"] = calendarId.ToString() }),
            };
            foreach (var (action, form, fields) in posts)
                Assert.Equal(HttpStatusCode.Forbidden, (await web.SubmitAsync(action, fields, formPage: form)).StatusCode);
        }

        var (policies, active, calendars, commitments) = await server.Database.ReadAsync(async c => (
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_policies"),
            await c.ExecuteScalarAsync<string>("SELECT name || ':' || active FROM sla_policies"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_calendars"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_marketing_commitments")), ct);
        Assert.Equal((1L, "MQL any:1", 1L, 0L), (policies, active, calendars, commitments));
    }

    [Fact]
    public async Task Every_role_reads_the_page_and_a_rep_sees_only_the_breaches_they_caused()
    {
        var (server, world, clock) = await StartAsync();
        await using var _server = server;
        using var api = await server.AdminClientAsync();
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync(), reassign: false);
        await api.AssignedMqlAsync("late-for-riley@acme.io", world.Users[Emails.Riley], null);
        await api.AssignedMqlAsync("late-for-jordan@acme.io", world.Users[Emails.Jordan], null);
        await api.AssignedMqlAsync("late-for-ana@acme.io", world.Users[Emails.Ana], null);
        clock.Advance(TimeSpan.FromHours(2)); // first touch was due at 10:00
        await server.TickAsync();

        var seen = new Dictionary<string, string>();
        foreach (var email in new[] { Emails.Admin, Emails.Marketing, Emails.Manager, Emails.OtherManager, Emails.Riley })
        {
            using var web = await WebSession.SignInAsync(server, email);
            seen[email] = Breaches(await web.GetPageAsync("/settings/sla"));
        }

        string[] all = ["late-for-riley", "late-for-jordan", "late-for-ana"];
        Assert.All(all, lead => Assert.Contains(lead, seen[Emails.Admin]));
        Assert.All(all, lead => Assert.Contains(lead, seen[Emails.Marketing]));
        Assert.Contains("late-for-riley", seen[Emails.Manager]);
        Assert.Contains("late-for-jordan", seen[Emails.Manager]);
        Assert.DoesNotContain("late-for-ana", seen[Emails.Manager]);
        Assert.Contains("late-for-ana", seen[Emails.OtherManager]);
        Assert.DoesNotContain("late-for-riley", seen[Emails.OtherManager]);
        Assert.Contains("late-for-riley", seen[Emails.Riley]);
        Assert.DoesNotContain("late-for-jordan", seen[Emails.Riley]);
        Assert.DoesNotContain("late-for-ana", seen[Emails.Riley]);
    }

    [Fact]
    public async Task The_sales_scorecard_counts_a_breach_against_the_rep_who_let_it_happen()
    {
        var (server, world, clock) = await StartAsync();
        await using var _server = server;
        using var api = await server.AdminClientAsync();
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync(), reassign: false);
        var touched = await api.AssignedMqlAsync("touched@acme.io", world.Users[Emails.Jordan], null);
        var late = await api.AssignedMqlAsync("untouched@acme.io", world.Users[Emails.Riley], null);
        await api.LogAsync(touched, "call");
        clock.Advance(TimeSpan.FromHours(2));
        await server.TickAsync();
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        var page = await sam.GetPageAsync("/settings/sla?week=2026-W45");

        Assert.Equal("1", Cell(page, "Riley Rep", 5));
        Assert.Equal("0%", Cell(page, "Riley Rep", 2));
        Assert.Equal("0", Cell(page, "Jordan Rep", 5));
        Assert.Equal("100%", Cell(page, "Jordan Rep", 2));
        Assert.Contains($"/people/{late}", Breaches(page));
        Assert.Contains("No first touch by the due time", Breaches(page));
        // A week with no assignments has nothing to score.
        Assert.Contains("No leads were assigned under a service level this week.", await sam.GetPageAsync("/settings/sla?week=2026-W44"));
    }

    [Fact]
    public async Task A_breach_says_what_caused_it_when_the_lead_was_given_up_before_the_minimum_attempts()
    {
        var (server, world, clock) = await StartAsync();
        await using var _server = server;
        using var api = await server.AdminClientAsync();
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync(), reassign: false);
        var lead = await api.AssignedMqlAsync("gave-up@acme.io", world.Users[Emails.Riley], null);
        await api.LogAsync(lead, "call");
        clock.Advance(TimeSpan.FromMinutes(20));
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        var rejected = await riley.SubmitAsync($"/people/{lead}?handler=Handoff", new() { ["Action"] = "reject", ["ReasonCode"] = "no-response" },
            formPage: $"/people/{lead}");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, rejected.StatusCode);

        // Recorded on the day of the decision, days before the attempts window ends: the log says which decision.
        var log = Breaches(await riley.GetPageAsync("/settings/sla"));
        Assert.Contains("gave-up", log);
        Assert.Contains("Recycled as No response by Riley Rep after 1 of 3 attempts", log);
    }

    private static string Breaches(string page) =>
        Regex.Match(page, "<section class=\"card card-wide\" aria-labelledby=\"breach-head\">.*?</section>", RegexOptions.Singleline).Value;

    /// <summary>The n-th cell (0 = the name) of a row of the sales scorecard by rep.</summary>
    private static string Cell(string page, string rep, int n)
    {
        var table = Regex.Match(page, "data-testid=\"sales-by-rep\">.*?</table>", RegexOptions.Singleline).Value;
        var row = Regex.Match(table, $"<tr[^>]*>\\s*<th scope=\"row\">{Regex.Escape(rep)}</th>.*?</tr>", RegexOptions.Singleline).Value;
        var cells = Regex.Matches(row, "<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline).Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.True(cells.Count > n, $"No row for {rep} in: {table}");
        return cells[n];
    }
}

public sealed class SlaSettingsPagesTestsOnSqlite() : SlaSettingsPagesTests(DatabaseProvider.Sqlite);

public sealed class SlaSettingsPagesTestsOnPostgres() : SlaSettingsPagesTests(DatabaseProvider.Postgres);
