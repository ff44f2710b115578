using System.Net;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>Bulk actions, saved views and the person page's actions, through the pages as a browser posts them.</summary>
public abstract class PeopleWorkTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_bulk_stage_change_with_one_refused_lead_moves_none_and_names_the_refused_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        // Rita (MQL) may move to SQL; Joanna, made a customer, may not move back to SQL.
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET stage = 'Customer' WHERE id = @id", new { id = world.JordanLead }, tx), ct);
        var response = await sam.SubmitAsync("/people?handler=Stage", new() { ["stage"] = "SQL" }, formPage: "/people",
            repeated: [new("ids", world.RileyLead.ToString()), new("ids", world.JordanLead.ToString())]);
        var page = await sam.GetPageAsync(response.Headers.Location!.OriginalString);

        Assert.Contains("Nothing was changed.", page);
        Assert.Contains("Joanna Fabrikam: Moving back from Customer to SQL is not allowed", page);
        var stages = await server.Database.ReadAsync(async c => (await c.QueryAsync<string>(
            "SELECT stage FROM people WHERE id IN (@a, @b) ORDER BY id", new { a = world.RileyLead, b = world.JordanLead })).ToList(), ct);
        Assert.Equal(["MQL", "Customer"], stages);
        var changes = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM stage_changes WHERE to_stage = 'SQL'"), ct);
        Assert.Equal(0, changes);
    }

    [Fact]
    public async Task Marketing_cannot_move_leads_into_the_stages_sales_decides()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);

        var bulk = await maya.SubmitAsync("/people?handler=Stage", new() { ["stage"] = "SAL" }, formPage: "/people",
            repeated: [new("ids", world.RileyLead.ToString())]);
        var bulkPage = await maya.GetPageAsync(bulk.Headers.Location!.OriginalString);
        var one = await maya.SubmitAsync($"/people/{world.JordanLead}?handler=Stage", new() { ["Stage"] = "SQL" }, formPage: $"/people/{world.JordanLead}");
        var recycled = await maya.SubmitAsync($"/people/{world.AnaLead}?handler=Stage", new() { ["Stage"] = "Recycled", ["ReasonCode"] = "nurture" },
            formPage: $"/people/{world.AnaLead}");

        Assert.Contains("Moving a lead to SAL is sales&#x27; decision", bulkPage);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, one.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, recycled.StatusCode);
        var stages = await server.Database.ReadAsync(async c => (await c.QueryAsync<string>(
            "SELECT stage FROM people WHERE id IN (@a, @b, @d) ORDER BY id", new { a = world.RileyLead, b = world.JordanLead, d = world.AnaLead })).ToList(), ct);
        Assert.Equal(["MQL", "SAL", "Recycled"], stages);
        Assert.DoesNotContain("<option value=\"SAL\"", await maya.GetPageAsync($"/people/{world.RileyLead}"));
    }

    [Fact]
    public async Task Change_stage_offers_only_the_moves_the_lifecycle_allows_from_the_current_stage_with_reasons_by_label()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);

        // Jordan's lead is a SAL: forward to the sales stages or out by way of Recycled or Disqualified, never back to Lead.
        var page = await sam.GetPageAsync($"/people/{world.JordanLead}");
        Assert.Equal(["SQL", "Opportunity", "Customer", "Recycled", "Disqualified"], StageOptions(page));
        Assert.Equal(["Recycled", "Disqualified"], StageOptions(await maya.GetPageAsync($"/people/{world.JordanLead}")));
        Assert.Contains(">No budget</option>", page);
        Assert.DoesNotContain(">no-budget</option>", page);
    }

    private static List<string> StageOptions(string page)
    {
        var select = System.Text.RegularExpressions.Regex.Match(page, "<select id=\"Stage\"[^>]*>(.*?)</select>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(select.Success, "The person page has no stage picker.");
        return [.. System.Text.RegularExpressions.Regex.Matches(select.Groups[1].Value, "<option value=\"(\\w+)\"").Select(m => m.Groups[1].Value)];
    }

    [Fact]
    public async Task Assigning_a_lead_records_the_owner_the_team_and_a_timeline_fact()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        var response = await sam.SubmitAsync("/people?handler=Assign", new() { ["ownerId"] = world.Users[Emails.Jordan].ToString() },
            formPage: "/people", repeated: [new("ids", world.RileyLead.ToString())]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (owner, team) = await server.Database.ReadAsync(c => c.QuerySingleAsync<(long, string)>(
            "SELECT p.owner_id, t.name FROM people p JOIN teams t ON t.id = p.owner_team_id WHERE p.id = @id", new { id = world.RileyLead }), ct);
        Assert.Equal(world.Users[Emails.Jordan], owner);
        Assert.Equal("Inbound", team);
        var person = await sam.GetPageAsync($"/people/{world.RileyLead}");
        Assert.Contains("Assigned to Jordan Rep", person);
    }

    [Fact]
    public async Task A_manager_cannot_assign_a_lead_to_a_rep_outside_their_teams()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        var response = await sam.SubmitAsync("/people?handler=Assign", new() { ["ownerId"] = world.Users[Emails.Ana].ToString() },
            formPage: "/people", repeated: [new("ids", world.RileyLead.ToString())]);
        var page = await sam.GetPageAsync(response.Headers.Location!.OriginalString);

        Assert.Contains("Choose an active sales user you may assign to.", page);
        var owner = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT owner_id FROM people WHERE id = @id", new { id = world.RileyLead }), ct);
        Assert.Equal(world.Users[Emails.Riley], owner);
    }

    [Fact]
    public async Task A_shared_view_is_listed_for_others_but_only_its_owner_can_delete_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        await maya.SubmitAsync("/people?handler=SaveView&stage=MQL&source=Paid%20Search", new() { ["viewName"] = "Paid MQLs", ["shared"] = "true" }, formPage: "/people?stage=MQL");
        await maya.SubmitAsync("/people?handler=SaveView&stage=SAL", new() { ["viewName"] = "Mine only" }, formPage: "/people?stage=SAL");
        var rileysList = await riley.GetPageAsync("/people");
        var viewId = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM saved_views WHERE name = 'Paid MQLs'"), ct);
        await riley.SubmitAsync("/people?handler=DeleteView", new() { ["viewId"] = viewId.ToString() }, formPage: "/people");

        Assert.Contains("href=\"/people?stage=MQL&amp;source=Paid%20Search\"", rileysList);
        Assert.DoesNotContain("Mine only", rileysList);
        Assert.Equal(2, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM saved_views"), ct));
    }

    [Fact]
    public async Task Logging_a_call_appends_it_with_its_outcome_and_who_logged_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var response = await riley.SubmitAsync($"/people/{world.RileyLead}?handler=Log",
            new() { ["Type"] = "call", ["Outcome"] = "left-voicemail", ["Notes"] = "Try again Thursday" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var properties = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT properties FROM activities WHERE person_id = @id AND type = 'call'", new { id = world.RileyLead }), ct);
        Assert.Contains("\"outcome\":\"left-voicemail\"", properties);
        Assert.Contains("\"by\":\"Riley Rep\"", properties);
    }

    [Fact]
    public async Task An_empty_note_is_refused_with_the_field_named_and_nothing_is_written()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var response = await riley.SubmitAsync($"/people/{world.RileyLead}?handler=Log", new() { ["Type"] = "note", ["Notes"] = " " });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("A note needs some text.", await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM activities WHERE person_id = @id AND type = 'note'", new { id = world.RileyLead }), ct));
    }

    [Fact]
    public async Task The_list_sorts_by_last_name_both_ways_and_names_an_unknown_order()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);

        long[] Order(string html) => System.Text.RegularExpressions.Regex.Matches(html, "<a href=\"/people/(\\d+)\" class=\"strong\">")
            .Select(m => long.Parse(m.Groups[1].Value)).ToArray();
        var ascending = Order(await maya.GetPageAsync("/people?sort=name"));
        var descending = Order(await maya.GetPageAsync("/people?sort=-name"));
        var unknown = await maya.GetPageAsync("/people?sort=shoe-size");

        // Contoso, Fabrikam, Globex, Initech, Northwind
        long[] byLastName = [world.RileySecondLead, world.JordanLead, world.UnownedLead, world.AnaLead, world.RileyLead];
        Assert.Equal(byLastName, ascending);
        Assert.Equal(byLastName.Reverse(), descending);
        Assert.Contains("Cannot sort by &#x27;shoe-size&#x27;.", unknown);
    }

    [Fact]
    public async Task A_merged_away_lead_opens_as_the_survivor()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var duplicate = (await api.CaptureLeadAsync(new { email = "rita.dup@northwind.com" })).Id();
        (await api.PostAsync("/api/v1/people/merge", System.Net.Http.Json.JsonContent.Create(new { survivorId = world.RileyLead, mergedId = duplicate }), ct)).EnsureSuccessStatusCode();
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);

        var response = await maya.GetAsync($"/people/{duplicate}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/people/{world.RileyLead}", response.Headers.Location!.OriginalString);
    }
}

public sealed class PeopleWorkTestsOnSqlite() : PeopleWorkTests(DatabaseProvider.Sqlite);

public sealed class PeopleWorkTestsOnPostgres() : PeopleWorkTests(DatabaseProvider.Postgres);
