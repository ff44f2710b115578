using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;
using static Tandem.Tests.Web.RoutingPageSteps;

namespace Tandem.Tests.Web;

public abstract class RoutingSettingsPagesTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_rule_an_admin_adds_on_the_page_routes_the_next_lead()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);
        var emea = await TeamIdAsync(server, "EMEA");

        var saved = await admin.SubmitAsync("/settings/routing/rules/new", new()
        {
            ["Form.Name"] = "Globex to EMEA", ["Form.TeamId"] = emea.ToString(), ["Form.Method"] = "roundRobin", ["Form.Active"] = "true",
            ["Form.Conditions[0].Field"] = "company", ["Form.Conditions[0].Operator"] = "in", ["Form.Conditions[0].Values"] = "Globex, Initech",
        });
        using var api = await server.AdminClientAsync();
        var decision = await api.PostAsync($"/api/v1/people/{world.UnownedLead}/route", null, ct);
        var overview = await admin.GetPageAsync("/settings/routing");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("\"userName\":\"Ana Rep\"", await decision.Content.ReadAsStringAsync(ct));
        Assert.Contains("company in Globex, Initech", overview);
    }

    [Fact]
    public async Task A_refused_rule_comes_back_as_typed_with_each_error_beside_its_row_and_nothing_is_saved()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);
        var emea = await TeamIdAsync(server, "EMEA");

        var response = await admin.SubmitAsync("/settings/routing/rules/new", new()
        {
            ["Form.Name"] = "", ["Form.TeamId"] = emea.ToString(), ["Form.Method"] = "roundRobin",
            // The first row is left blank: the error of the second row must land on the second row, not the first.
            ["Form.Conditions[0].Field"] = "", ["Form.Conditions[0].Operator"] = "", ["Form.Conditions[0].Values"] = "",
            ["Form.Conditions[1].Field"] = "country", ["Form.Conditions[1].Operator"] = "", ["Form.Conditions[1].Values"] = "DE, FR",
            ["Form.Conditions[2].Field"] = "shoeSize", ["Form.Conditions[2].Operator"] = "equals", ["Form.Conditions[2].Values"] = "44",
        });
        var html = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("A rule name is required", html);
        Assert.Contains("Use one of equals", ConditionRowHtml(html, 1));
        Assert.Contains("value=\"DE, FR\"", ConditionRowHtml(html, 1));
        Assert.DoesNotContain("field-error", ConditionRowHtml(html, 0));
        Assert.Contains("&#x27;shoeSize&#x27; is not a field rules can test", ConditionRowHtml(html, 2));
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM routing_rules"), ct));
    }

    [Fact]
    public async Task Moving_a_rule_up_makes_it_match_first()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var (inbound, emea) = (await TeamIdAsync(server, "Inbound"), await TeamIdAsync(server, "EMEA"));
        await api.CaptureRuleAsync(new { name = "Everyone to Inbound", teamId = inbound });
        var second = (await api.CaptureRuleAsync(new { name = "Globex to EMEA", teamId = emea,
            conditions = new[] { new { field = "company", @operator = "equals", values = new[] { "Globex" } } } })).Id();
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        await admin.SubmitAsync("/settings/routing?handler=Move", new() { ["id"] = second.ToString(), ["direction"] = "up" });
        var decision = await api.PostAsync($"/api/v1/people/{world.UnownedLead}/route", null, ct);
        var overview = await admin.GetPageAsync("/settings/routing");

        Assert.Contains("\"ruleName\":\"Globex to EMEA\"", await decision.Content.ReadAsStringAsync(ct));
        Assert.True(overview.IndexOf("data-rule=\"Globex to EMEA\"", StringComparison.Ordinal) < overview.IndexOf("data-rule=\"Everyone to Inbound\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_switches_off_and_deletes_a_rule_from_the_overview()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var rule = (await api.CaptureRuleAsync(new { name = "Everyone to EMEA", teamId = await TeamIdAsync(server, "EMEA") })).Id();
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        await admin.SubmitAsync("/settings/routing?handler=Active", new() { ["id"] = rule.ToString(), ["active"] = "false" });
        var switchedOff = await api.PostAsync($"/api/v1/people/{world.UnownedLead}/route?dryRun=true", null, ct);
        await admin.SubmitAsync("/settings/routing?handler=Delete", new() { ["id"] = rule.ToString() });

        Assert.Contains("\"outcome\":\"Unassigned\"", await switchedOff.Content.ReadAsStringAsync(ct));
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM routing_rules"), ct));
        Assert.DoesNotContain("Everyone to EMEA", await admin.GetPageAsync("/settings/routing"));
    }

    [Theory]
    [InlineData(Emails.Marketing)]
    [InlineData(Emails.Manager)]
    [InlineData(Emails.Riley)]
    public async Task Only_admins_may_change_rules_teams_and_rep_settings(string email)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var emea = await TeamIdAsync(server, "EMEA");
        var rule = (await api.CaptureRuleAsync(new { name = "Everyone", teamId = emea })).Id();
        using var session = await WebSession.SignInAsync(server, email);
        var posts = new (string Action, Dictionary<string, string> Fields)[]
        {
            ("/settings/routing/rules/new", new() { ["Form.Name"] = "Mine", ["Form.TeamId"] = emea.ToString() }),
            ($"/settings/routing/rules/{rule}", new() { ["Form.Name"] = "Renamed", ["Form.TeamId"] = emea.ToString() }),
            ($"/settings/routing/rules/{rule}?handler=Delete", new()),
            ("/settings/routing?handler=Delete", new() { ["id"] = rule.ToString() }),
            ("/settings/routing?handler=Active", new() { ["id"] = rule.ToString(), ["active"] = "false" }),
            ("/settings/routing/teams/new", new() { ["Form.Name"] = "Shadow team" }),
            ($"/settings/routing/teams/{emea}", new() { ["Form.Name"] = "Renamed team" }),
            ($"/settings/routing/reps/{world.Users[Emails.Riley]}?handler=Save", new() { ["Form.Capacity"] = "1", ["Form.Weight"] = "1" }),
        };

        foreach (var (action, fields) in posts)
            Assert.Equal(HttpStatusCode.Forbidden, (await session.SubmitAsync(action, fields, formPage: "/settings/routing")).StatusCode);
        Assert.Equal("Everyone", await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT name FROM routing_rules"), ct));
        Assert.Equal(1, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT active FROM routing_rules"), ct));
        Assert.Equal(2, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE name IN ('Inbound', 'EMEA')"), ct));
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rep_profiles"), ct));
    }

    [Fact]
    public async Task Every_role_reads_the_overview_and_only_admins_see_the_edit_buttons()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        await api.CaptureRuleAsync(new { name = "Germany to EMEA", teamId = await TeamIdAsync(server, "EMEA"), method = "leastLoaded",
            conditions = new[] { new { field = "country", @operator = "in", values = new[] { "DE", "AT" } } } });

        foreach (var email in new[] { Emails.Admin, Emails.Marketing, Emails.Manager, Emails.Riley })
        {
            using var session = await WebSession.SignInAsync(server, email);
            var html = await session.GetPageAsync("/settings/routing");
            Assert.Contains("country in DE, AT", html);
            Assert.Contains("Least loaded", html);
            Assert.Contains("Riley Rep", RepRow(html, "Riley Rep"));
            Assert.Equal(email == Emails.Admin, html.Contains("href=\"/settings/routing/rules/new\"", StringComparison.Ordinal));
            Assert.Equal(email == Emails.Admin, html.Contains("?handler=Delete", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_admin_creates_a_team_with_members_picked_from_the_sales_users()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var saved = await admin.SubmitAsync("/settings/routing/teams/new", new()
            { ["Form.Name"] = "Enterprise", ["Form.ManagerUserId"] = world.Users[Emails.Manager].ToString(), ["Form.FallbackUserId"] = "" },
            repeated: [new("Form.MemberUserIds", world.Users[Emails.Riley].ToString()), new("Form.MemberUserIds", world.Users[Emails.Ana].ToString())]);
        var duplicate = await admin.SubmitAsync("/settings/routing/teams/new", new() { ["Form.Name"] = "Enterprise" });
        var overview = await admin.GetPageAsync("/settings/routing");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.Contains("A team is already named", await duplicate.Content.ReadAsStringAsync(ct));
        var row = Regex.Match(overview, "<tr data-team=\"Enterprise\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("data-label=\"Manager\">Sam Manager<", row);
        Assert.Contains("data-label=\"Members\">Riley Rep, Ana Rep<", row);
    }
}

/// <summary>Steps and page reading shared by the routing settings page tests.</summary>
internal static class RoutingPageSteps
{
    public static async Task<System.Text.Json.JsonElement> CaptureRuleAsync(this HttpClient api, object rule)
    {
        var response = await api.PostAsJsonAsync("/api/v1/routing/rules", rule);
        await response.EnsureSuccessWithBodyAsync();
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    public static Task<long> TeamIdAsync(TandemServer server, string name) =>
        server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM teams WHERE name = @name", new { name }));

    public static string ConditionRowHtml(string html, int row)
    {
        var start = html.IndexOf($"data-testid=\"condition-row-{row}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No condition row {row}");
        var end = html.IndexOf("data-testid=\"condition-row-", start + 10, StringComparison.Ordinal);
        return html[start..(end < 0 ? html.IndexOf("</fieldset>", start, StringComparison.Ordinal) : end)];
    }

    public static string RepRow(string html, string name)
    {
        var m = Regex.Match(html, $"<tr[^>]*data-rep=\"{Regex.Escape(name)}\".*?</tr>", RegexOptions.Singleline);
        Assert.True(m.Success, $"No row for {name}");
        return m.Value;
    }
}

public sealed class RoutingSettingsPagesTestsOnSqlite() : RoutingSettingsPagesTests(DatabaseProvider.Sqlite);

public sealed class RoutingSettingsPagesTestsOnPostgres() : RoutingSettingsPagesTests(DatabaseProvider.Postgres);
