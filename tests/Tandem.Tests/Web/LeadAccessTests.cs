using System.Net;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>The row-level rule, enforced by the server on every page, export and action — not just hidden in the menu.</summary>
public abstract class LeadAccessTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_rep_gets_404_for_another_reps_lead_and_cannot_act_on_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        Assert.Equal(HttpStatusCode.OK, (await riley.GetAsync($"/people/{world.RileyLead}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await riley.GetAsync($"/people/{world.AnaLead}")).StatusCode);
        var log = await riley.SubmitAsync($"/people/{world.AnaLead}?handler=Log",
            new() { ["Type"] = "call", ["Notes"] = "sneaky" }, formPage: $"/people/{world.RileyLead}");
        Assert.Equal(HttpStatusCode.NotFound, log.StatusCode);
        var stage = await riley.SubmitAsync($"/people/{world.AnaLead}?handler=Stage",
            new() { ["Stage"] = "SAL" }, formPage: $"/people/{world.RileyLead}");
        Assert.Equal(HttpStatusCode.NotFound, stage.StatusCode);

        var calls = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM activities WHERE person_id = @id AND type = 'call'", new { id = world.AnaLead }), ct);
        var current = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT stage FROM people WHERE id = @id", new { id = world.AnaLead }), ct);
        Assert.Equal(0, calls);
        Assert.Equal("MQL", current);
    }

    [Fact]
    public async Task A_rep_can_preview_a_template_with_their_own_lead_but_not_with_another_reps()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        var template = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM email_templates"), ct);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        var page = $"/email/templates?id={template}";

        var own = await riley.SubmitAsync($"{page}&handler=Preview", new() { ["person"] = "rita@northwind.com" }, formPage: page);
        var others = await riley.SubmitAsync($"{page}&handler=Preview", new() { ["person"] = "anton@initech.de" }, formPage: page);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("<iframe", await own.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, others.StatusCode);
        var refused = await others.Content.ReadAsStringAsync(ct);
        Assert.DoesNotContain("<iframe", refused);
        Assert.DoesNotContain("Anton", refused);
    }

    [Fact]
    public async Task Bulk_stage_change_naming_a_lead_outside_the_reps_scope_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var response = await riley.SubmitAsync("/people?handler=Stage", new() { ["stage"] = "SAL" }, formPage: "/people",
            repeated: [new("ids", world.RileyLead.ToString()), new("ids", world.AnaLead.ToString())]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stages = await server.Database.ReadAsync(async c => (await c.QueryAsync<string>(
            "SELECT stage FROM people WHERE id IN (@a, @b) ORDER BY id", new { a = world.RileyLead, b = world.AnaLead })).ToList(), ct);
        Assert.Equal(["MQL", "MQL"], stages);
    }

    [Fact]
    public async Task Export_holds_exactly_the_leads_each_role_may_see()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);

        async Task<string[]> ExportedEmails(string email)
        {
            using var session = await WebSession.SignInAsync(server, email);
            var csv = await session.GetPageAsync("/people/export");
            return csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[1]).Order().ToArray();
        }

        Assert.Equal(["raj@contoso.com", "rita@northwind.com"], await ExportedEmails(Emails.Riley));
        Assert.Equal(["jo@fabrikam.com", "raj@contoso.com", "rita@northwind.com"], await ExportedEmails(Emails.Manager));
        Assert.Equal(["anton@initech.de"], await ExportedEmails(Emails.OtherManager));
        Assert.Equal(5, (await ExportedEmails(Emails.Marketing)).Length);
    }

    [Fact]
    public async Task The_people_list_shows_a_manager_their_teams_leads_and_a_rep_their_own()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);
        using var ana = await WebSession.SignInAsync(server, Emails.Ana);

        var samsList = await sam.GetPageAsync("/people");
        var anasList = await ana.GetPageAsync("/people");

        Assert.Contains($"/people/{world.JordanLead}\"", samsList);
        Assert.DoesNotContain($"/people/{world.AnaLead}\"", samsList);
        Assert.Contains($"/people/{world.AnaLead}\"", anasList);
        Assert.DoesNotContain($"/people/{world.RileyLead}\"", anasList);
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync($"/people/{world.JordanLead}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/people/{world.AnaLead}")).StatusCode);
    }

    [Fact]
    public async Task A_rep_cannot_assign_leads_even_by_posting_the_form()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var response = await riley.SubmitAsync("/people?handler=Assign", new() { ["ownerId"] = world.Users[Emails.Jordan].ToString() },
            formPage: "/people", repeated: [new("ids", world.RileyLead.ToString())]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var owner = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT owner_id FROM people WHERE id = @id", new { id = world.RileyLead }), ct);
        Assert.Equal(world.Users[Emails.Riley], owner);
    }
}

public sealed class LeadAccessTestsOnSqlite() : LeadAccessTests(DatabaseProvider.Sqlite);

public sealed class LeadAccessTestsOnPostgres() : LeadAccessTests(DatabaseProvider.Postgres);
