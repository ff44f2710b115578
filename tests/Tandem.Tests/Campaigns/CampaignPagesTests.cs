using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using E = Tandem.Tests.Infrastructure.WebWorld.Emails;

namespace Tandem.Tests.Campaigns;

public abstract partial class CampaignPagesTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Figure(string page, string testId)
    {
        var m = Regex.Match(page, $"data-testid=\"{testId}\">([^<]*)<");
        Assert.True(m.Success, $"No {testId} on the page");
        return m.Groups[1].Value;
    }

    [Fact]
    public async Task A_rep_sees_their_own_outcomes_a_manager_their_teams_and_only_marketing_sees_costs()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        var counts = new Dictionary<string, (string Leads, string Mqls, bool Costs)>();
        foreach (var who in new[] { E.Marketing, E.Manager, E.Riley, E.Ana })
        {
            using var session = await WebSession.SignInAsync(server, who);
            var page = await session.GetPageAsync("/reports/attribution");
            counts[who] = (Figure(page, "outcome-leads"), Figure(page, "outcome-mqls"), page.Contains("data-testid=\"total-cost\""));
        }

        // Five leads: Riley's two MQLs, Jordan's SAL (in Sam's team with Riley), Ana's MQL and one nobody owns.
        Assert.Equal(("5", "4", true), counts[E.Marketing]);
        Assert.Equal(("3", "3", false), counts[E.Manager]);
        Assert.Equal(("2", "2", false), counts[E.Riley]);
        Assert.Equal(("1", "1", false), counts[E.Ana]);
    }

    [Fact]
    public async Task Marketing_creates_a_campaign_imports_costs_naming_bad_lines_and_adds_members_while_a_rep_only_reads()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, E.Marketing);

        var created = await maya.SubmitAsync("/campaigns?handler=Create", new() { ["name"] = "Spring webinar", ["channel"] = "Events", ["utmCampaign"] = "spring-webinar" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var url = created.Headers.Location!.OriginalString;
        var refused = await maya.SubmitAsync($"{url}?handler=Import", new() { ["csv"] = "month,amount\n2026-10,100\nOctober,5\n" }, url);
        var imported = await maya.SubmitAsync($"{url}?handler=Import", new() { ["csv"] = "month,amount\n2026-10,100\n2026-11,250.50\n" }, url);
        var added = await maya.SubmitAsync($"{url}?handler=AddMember", new() { ["email"] = "rita@northwind.com", ["status"] = "registered" }, url);
        var unknown = await maya.SubmitAsync($"{url}?handler=AddMember", new() { ["email"] = "nobody@nowhere.com", ["status"] = "registered" }, url);
        var page = await maya.GetPageAsync(url);
        using var riley = await WebSession.SignInAsync(server, E.Riley);
        var rileyPage = await riley.GetPageAsync(url);
        var rileyPost = await riley.SubmitAsync($"{url}?handler=Cost", new() { ["month"] = "2026-12", ["amount"] = "1" }, url);
        var csv = await maya.GetAsync("/campaigns?handler=csv");

        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Contains("line 3: month", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal((HttpStatusCode)422, unknown.StatusCode);
        Assert.Contains("250.50", page);
        Assert.Contains("Rita Northwind", page);
        Assert.Contains("Rita Northwind", rileyPage);
        Assert.DoesNotContain("data-testid=\"costs-table\"", rileyPage);
        Assert.Equal(HttpStatusCode.Forbidden, rileyPost.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Spring webinar,Events,active,spring-webinar", await csv.Content.ReadAsStringAsync(Ct));
        _ = world;
    }

    [Fact]
    public async Task A_rep_records_content_sent_to_their_own_lead_and_the_content_report_counts_it_as_sales_use()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var deck = (await (await api.PostAsJsonAsync("/api/v1/content/assets",
            new { title = "Pricing deck", type = "deck", assetKey = "pricing-deck", ownerTeam = "sales" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).Id();
        using var riley = await WebSession.SignInAsync(server, E.Riley);

        var personPage = await riley.GetPageAsync($"/people/{world.RileyLead}");
        var shared = await riley.SubmitAsync("/content/share", new() { ["personId"] = world.RileyLead.ToString(), ["assetId"] = deck.ToString() },
            $"/people/{world.RileyLead}");
        var notHers = await riley.SubmitAsync("/content/share", new() { ["personId"] = world.AnaLead.ToString(), ["assetId"] = deck.ToString() },
            $"/people/{world.RileyLead}");
        var report = await api.GetJsonAsync("/api/v1/reports/content");
        var timeline = await api.GetJsonAsync($"/api/v1/people/{world.RileyLead}/timeline");

        Assert.Contains("data-testid=\"share-content\"", personPage);
        Assert.True(shared.StatusCode == HttpStatusCode.Redirect, $"{(int)shared.StatusCode}: {await shared.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal(HttpStatusCode.NotFound, notHers.StatusCode);
        var row = report.GetProperty("assets").EnumerateArray().Single();
        Assert.Equal((1, 1), (row.GetProperty("salesShares").GetInt32(), row.GetProperty("sharedBy").GetInt32()));
        Assert.Contains("content_shared", timeline.ToString());
    }
}

public sealed class CampaignPagesTestsOnSqlite() : CampaignPagesTests(DatabaseProvider.Sqlite);

public sealed class CampaignPagesTestsOnPostgres() : CampaignPagesTests(DatabaseProvider.Postgres);
