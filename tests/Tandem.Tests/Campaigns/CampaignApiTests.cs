using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Campaigns;

public abstract class CampaignApiTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> ImportCostsAsync(HttpClient api, string url, string csv) =>
        api.PostAsync(url, new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

    [Fact]
    public async Task A_campaign_is_created_edited_and_read_back_with_status_utm_dates_and_budget()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var created = await api.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "Webinar – Data SLAs", channel = "events", status = "planned", utmCampaign = "Webinar-SLAs", utmSource = "webinar", utmMedium = "event",
            startsOn = "2026-11-01", endsOn = "2026-11-30", budget = 2500.50m,
        }, Ct);
        await created.EnsureSuccessWithBodyAsync();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).Id();
        var bad = await api.PutAsJsonAsync($"/api/v1/campaigns/{id}", new { name = "", channel = "Events", status = "running", startsOn = "2026-11-10", endsOn = "2026-11-01" }, Ct);
        var edited = await api.PutAsJsonAsync($"/api/v1/campaigns/{id}", new
        {
            name = "Webinar – Data SLAs that hold", channel = "Events", status = "active", utmCampaign = "webinar-slas", startsOn = "2026-11-01", budget = 3000m,
        }, Ct);
        await edited.EnsureSuccessWithBodyAsync();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.Contains("planned, active, paused, completed", errors.GetProperty("status")[0].GetString());
        Assert.True(errors.TryGetProperty("endsOn", out _));
        var campaign = (await api.GetJsonAsync($"/api/v1/campaigns/{id}")).GetProperty("campaign");
        Assert.Equal("Webinar – Data SLAs that hold", campaign.GetProperty("name").GetString());
        Assert.Equal("Events", campaign.GetProperty("channel").GetString());
        Assert.Equal("active", campaign.GetProperty("status").GetString());
        Assert.Equal("webinar-slas", campaign.GetProperty("utmCampaign").GetString());
        Assert.Equal("2026-11-01", campaign.GetProperty("startsOn").GetString());
        Assert.Equal(JsonValueKind.Null, campaign.GetProperty("endsOn").ValueKind);
        Assert.Equal(3000m, campaign.GetProperty("budget").GetDecimal());
    }

    [Fact]
    public async Task Costs_are_entered_per_month_and_a_csv_import_is_refused_whole_with_every_bad_line_named()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var gads = (await (await api.PostAsJsonAsync("/api/v1/campaigns", new { name = "Google Ads", channel = "Paid Search", utmCampaign = "gads" }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).Id();
        var li = (await (await api.PostAsJsonAsync("/api/v1/campaigns", new { name = "LinkedIn", channel = "Paid Social", utmCampaign = "li" }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).Id();

        await (await api.PutAsJsonAsync($"/api/v1/campaigns/{gads}/costs/2026-10", new { amount = 1000m }, Ct)).EnsureSuccessWithBodyAsync();
        var badMonth = await api.PutAsJsonAsync($"/api/v1/campaigns/{gads}/costs/October", new { amount = 1m }, Ct);
        var refused = await ImportCostsAsync(api, "/api/v1/campaigns/costs/import",
            "campaign,month,amount\ngads,2026-11,500\nnope,2026-11,10\nli,2026-13,10\nli,2026-11,-4\n");
        var afterRefusal = await api.GetJsonAsync($"/api/v1/campaigns/{gads}/costs");
        var imported = await ImportCostsAsync(api, "/api/v1/campaigns/costs/import", "Campaign;Month;Cost\ngads;2026-11;1500\nLinkedIn;2026-11;600\n");
        var single = await ImportCostsAsync(api, $"/api/v1/campaigns/{li}/costs/import", "month,amount\n2026-12,250.25\n2026-10,99\n");

        Assert.Equal(HttpStatusCode.BadRequest, badMonth.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ProblemAsync()).GetProperty("errors");
        Assert.Equal(["line 3: campaign", "line 4: month", "line 5: amount"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Single(afterRefusal.EnumerateArray());
        await imported.EnsureSuccessWithBodyAsync();
        Assert.Equal(["Google Ads", "LinkedIn"], (await imported.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("campaigns").EnumerateArray().Select(c => c.GetString()));
        await single.EnsureSuccessWithBodyAsync();
        Assert.Equal(2, (await single.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("imported").GetInt32());
        var gadsCosts = (await api.GetJsonAsync($"/api/v1/campaigns/{gads}/costs")).EnumerateArray().ToList();
        Assert.Equal([("2026-10", 1000m, "entered"), ("2026-11", 1500m, "import")],
            gadsCosts.Select(c => (c.GetProperty("month").GetString(), c.GetProperty("amount").GetDecimal(), c.GetProperty("source").GetString())));
        var liCampaign = (await api.GetJsonAsync($"/api/v1/campaigns/{li}")).GetProperty("campaign");
        Assert.Equal(94925, liCampaign.GetProperty("costCents").GetInt64());
    }

    [Fact]
    public async Task Members_are_added_by_id_or_email_and_their_status_changes()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var campaign = (await (await api.PostAsJsonAsync("/api/v1/campaigns", new { name = "Data Council", channel = "Events" }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).Id();
        var ada = (await api.CaptureLeadAsync(new { email = "ada@acme.io", firstName = "Ada" })).Id();
        await api.CaptureLeadAsync(new { email = "bo@acme.io" });

        await (await api.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/members", new { personId = ada, status = "registered" }, Ct)).EnsureSuccessWithBodyAsync();
        await (await api.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/members", new { email = "BO@acme.io" }, Ct)).EnsureSuccessWithBodyAsync();
        var unknown = await api.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/members", new { email = "who@acme.io" }, Ct);
        var badStatus = await api.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/members/{ada}", new { status = "partied" }, Ct);
        await (await api.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/members/{ada}", new { status = "attended" }, Ct)).EnsureSuccessWithBodyAsync();

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.ProblemAsync()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        var members = (await api.GetJsonAsync($"/api/v1/campaigns/{campaign}/members")).EnumerateArray().ToList();
        Assert.Equal([("ada@acme.io", "attended"), ("bo@acme.io", "member")], members.Select(m => (m.GetProperty("email").GetString(), m.GetProperty("status").GetString())));
        var detail = await api.GetJsonAsync($"/api/v1/campaigns/{campaign}");
        Assert.Equal(1, detail.GetProperty("membersByStatus").GetProperty("attended").GetInt32());
        Assert.Equal(2, detail.GetProperty("campaign").GetProperty("members").GetInt32());
        var attended = await api.GetJsonAsync($"/api/v1/campaigns/{campaign}/members?status=attended");
        Assert.Single(attended.EnumerateArray());
    }

    [Fact]
    public async Task Reports_need_the_reports_read_scope_which_read_implies()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var reports = server.Client(await server.CreateKeyAsync(Scopes.ReportsRead));
        using var ingest = server.Client(await server.CreateKeyAsync(Scopes.Ingest));
        using var read = server.Client(await server.CreateKeyAsync(Scopes.Read));

        foreach (var url in new[] { "/api/v1/reports/attribution", "/api/v1/reports/campaigns", "/api/v1/reports/content" })
        {
            Assert.Equal(HttpStatusCode.OK, (await reports.GetAsync(url, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await read.GetAsync(url, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync(url, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await reports.GetAsync("/api/v1/people", Ct)).StatusCode);
    }
}

public sealed class CampaignApiTestsOnSqlite() : CampaignApiTests(DatabaseProvider.Sqlite);

public sealed class CampaignApiTestsOnPostgres() : CampaignApiTests(DatabaseProvider.Postgres);
