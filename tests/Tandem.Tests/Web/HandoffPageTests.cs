using System.Net;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.People;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Sla;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>Sales' hand-off decisions from the person page and the inbox, through the same use cases as the API.</summary>
public abstract class HandoffPageTests(DatabaseProvider provider)
{
    private static Task<HttpResponseMessage> DecideAsync(WebSession session, long personId, Dictionary<string, string> fields) =>
        session.SubmitAsync($"/people/{personId}?handler=Handoff", fields, formPage: $"/people/{personId}");

    private static Task<(string Stage, long Decisions)> StateAsync(TandemServer server, long personId) =>
        server.Database.ReadAsync(c => c.QuerySingleAsync<(string, long)>(
            "SELECT stage, (SELECT COUNT(*) FROM dispositions d WHERE d.person_id = p.id) FROM people p WHERE p.id = @personId", new { personId }));

    [Fact]
    public async Task A_rep_accepts_one_mql_and_rejects_another_with_a_reason_that_decides_where_it_goes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var accepted = await DecideAsync(riley, world.RileyLead, new() { ["Action"] = "accept", ["Note"] = "Discovery call on Tuesday" });
        var rejected = await DecideAsync(riley, world.RileySecondLead,
            new() { ["Action"] = "reject", ["ReasonCode"] = "no-budget", ["Note"] = "Budget frozen until Q3" });

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Equal(("SAL", 1L), await StateAsync(server, world.RileyLead));
        Assert.Equal(("Recycled", 1L), await StateAsync(server, world.RileySecondLead));
        var reason = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Kind, string Reason, string Note, string By)>(
            "SELECT kind, reason_code, note, actor_name FROM dispositions WHERE person_id = @id", new { id = world.RileySecondLead }), ct);
        Assert.Equal(("rejected", "no-budget", "Budget frozen until Q3", "Riley Rep"), reason);

        var page = await riley.GetPageAsync($"/people/{world.RileySecondLead}");
        Assert.Contains("Rejected Raj Contoso; marketing sees the reason.", page);
        Assert.Contains("Budget frozen until Q3", page);
        Assert.DoesNotContain("Reject lead", page); // a Recycled lead is back with marketing: nothing left for sales to decide
    }

    [Fact]
    public async Task The_reject_form_says_before_it_is_sent_when_a_reason_would_record_a_missed_attempts_promise()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var calendar = await api.CreateOfficeCalendarAsync();
        await api.CreateMqlPolicyAsync(calendar); // at least 3 attempts, judged when given up as "no response" (the default)
        var lead = await api.AssignedMqlAsync("kim@tailspin.example", world.Users[Emails.Riley], null);
        await api.LogAsync(lead, "call");
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var page = await riley.GetPageAsync($"/people/{lead}");
        Assert.Contains("1 of 3 attempts made: giving this lead up now as No response records a missed attempts promise.", page);
        Assert.Contains("data-warn-reasons=\"no-response\"", page);

        // Rejecting for a reason the rule does not cover records no breach; the form said nothing would happen.
        var rejected = await DecideAsync(riley, lead, new() { ["Action"] = "reject", ["ReasonCode"] = "no-budget" });
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Equal(0L, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_breaches WHERE person_id = @lead", new { lead }), TestContext.Current.CancellationToken));
        Assert.DoesNotContain("data-testid=\"attempts-warning\"", await riley.GetPageAsync($"/people/{world.RileyLead}")); // no clocks: no warning
    }

    [Fact]
    public async Task A_disqualifying_reason_moves_the_lead_out_and_the_closed_loop_report_counts_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        await DecideAsync(riley, world.RileyLead, new() { ["Action"] = "reject", ["ReasonCode"] = "bad-fit" });

        Assert.Equal("Disqualified", (await StateAsync(server, world.RileyLead)).Stage);
        using var api = await server.AdminClientAsync();
        var report = await api.GetStringAsync("/api/v1/reports/closed-loop", ct);
        Assert.Contains("\"bad-fit\":1", report);
    }

    [Fact]
    public async Task Rejecting_without_a_reason_is_refused_with_the_reasons_to_choose_from_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var response = await DecideAsync(riley, world.RileyLead, new() { ["Action"] = "reject", ["Note"] = "not for us" });
        var page = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Rejecting needs a reason code: bad-fit, no-budget", page);
        Assert.Contains("value=\"not for us\"", page); // what was typed comes back
        Assert.Equal(("MQL", 0L), await StateAsync(server, world.RileyLead));
    }

    [Fact]
    public async Task An_opportunity_and_a_win_record_their_amounts_and_a_bad_amount_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var jordan = await WebSession.SignInAsync(server, Emails.Jordan);

        var bad = await DecideAsync(jordan, world.JordanLead, new() { ["Action"] = "opportunity", ["Amount"] = "lots" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("&#x27;lots&#x27; is not an amount", await bad.Content.ReadAsStringAsync(ct));
        Assert.Equal(("SAL", 0L), await StateAsync(server, world.JordanLead));

        await DecideAsync(jordan, world.JordanLead, new() { ["Action"] = "opportunity", ["Amount"] = "12,500.50" });
        Assert.Equal("Opportunity", (await StateAsync(server, world.JordanLead)).Stage);
        await DecideAsync(jordan, world.JordanLead, new() { ["Action"] = "won", ["Amount"] = "12000" });

        var amounts = await server.Database.ReadAsync(async c => (await c.QueryAsync<(string, long)>(
            "SELECT kind, amount_cents FROM dispositions WHERE person_id = @id ORDER BY id", new { id = world.JordanLead })).ToList(), ct);
        Assert.Equal([("opportunity", 1_250_050L), ("won", 1_200_000L)], amounts);
        Assert.Equal("Customer", (await StateAsync(server, world.JordanLead)).Stage);
        Assert.Contains("12,500.50", await jordan.GetPageAsync($"/people/{world.JordanLead}"));
    }

    [Fact]
    public async Task An_action_the_stage_does_not_allow_is_refused_by_the_server()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var jordan = await WebSession.SignInAsync(server, Emails.Jordan);

        var response = await DecideAsync(jordan, world.JordanLead, new() { ["Action"] = "accept" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("A lead in SAL can be: qualify, opportunity, reject.", await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(("SAL", 0L), await StateAsync(server, world.JordanLead));
    }

    [Fact]
    public async Task Marketing_cannot_decide_for_sales_and_a_rep_cannot_decide_on_another_reps_lead()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var byMarketing = await DecideAsync(maya, world.RileyLead, new() { ["Action"] = "accept" });
        var byOtherRep = await riley.SubmitAsync($"/people/{world.AnaLead}?handler=Handoff", new() { ["Action"] = "accept" },
            formPage: $"/people/{world.RileyLead}");

        Assert.Equal(HttpStatusCode.Forbidden, byMarketing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherRep.StatusCode);
        Assert.Equal(("MQL", 0L), await StateAsync(server, world.RileyLead));
        Assert.Equal(("MQL", 0L), await StateAsync(server, world.AnaLead));
        Assert.DoesNotContain("Accept lead", await maya.GetPageAsync($"/people/{world.RileyLead}"));
    }

    [Fact]
    public async Task A_rep_accepts_from_the_inbox_and_the_lead_stays_in_it_as_accepted()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var response = await riley.SubmitAsync("/inbox?handler=Accept", new() { ["id"] = world.RileyLead.ToString() }, formPage: "/inbox");
        var inbox = await riley.GetPageAsync("/inbox");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(("SAL", 1L), await StateAsync(server, world.RileyLead));
        Assert.Contains("Accepted Rita Northwind.", inbox);
        Assert.Contains("2 open", inbox);
        Assert.Contains("Accept Raj Contoso", inbox);
        Assert.DoesNotContain("Accept Rita Northwind", inbox);
    }
}

public sealed class HandoffPageTestsOnSqlite() : HandoffPageTests(DatabaseProvider.Sqlite);

public sealed class HandoffPageTestsOnPostgres() : HandoffPageTests(DatabaseProvider.Postgres);

/// <summary>Which decisions the page offers, by stage and role.</summary>
public sealed class HandoffChoicesTests
{
    [Theory]
    [InlineData(Stage.MQL, "accept,reject")]
    [InlineData(Stage.SAL, "qualify,opportunity,reject")]
    [InlineData(Stage.SQL, "opportunity,won,lost")]
    [InlineData(Stage.Opportunity, "won,lost")]
    [InlineData(Stage.Recycled, "")]
    [InlineData(Stage.Customer, "")]
    public void A_rep_is_offered_the_decisions_the_stage_allows(Stage stage, string expected) =>
        Assert.Equal(expected, string.Join(",", HandoffChoices.For(stage, Roles.SalesRep)));

    [Fact]
    public void Marketing_is_offered_no_decision_even_on_an_mql() => Assert.Empty(HandoffChoices.For(Stage.MQL, Roles.Marketing));
}
