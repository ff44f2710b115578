using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Campaigns;

/// <summary>
/// Three assets — the pricing page (/pricing), a report known by its id, and the sales team's pricing deck — and two
/// people. Xia views the pricing page and downloads the report, becomes an SQL a day later, views the page again, is sent
/// the deck, and is won for 5,000. Yan views an old pricing page and the pricing page, clicks the page's link in a
/// one-to-one email and in a program's email, and stays a lead.
/// </summary>
public abstract class ContentReportTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Views_downloads_sales_shares_and_influence_before_SQL_and_Customer_are_counted_per_asset()
    {
        var clock = new ManualClock(T0);
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        async Task<long> Asset(object body) =>
            (await (await api.PostAsJsonAsync("/api/v1/content/assets", body, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).Id();
        var page = await Asset(new { title = "Pricing page", type = "web-page", urlPattern = "/pricing", ownerTeam = "marketing" });
        var report = await Asset(new { title = "State report", type = "report", assetKey = "state-report", ownerTeam = "marketing" });
        var deck = await Asset(new { title = "Pricing deck", type = "deck", assetKey = "pricing-deck", ownerTeam = "sales" });
        var badAsset = await api.PostAsJsonAsync("/api/v1/content/assets", new { title = "Nothing", type = "deck", ownerTeam = "sales" }, Ct);
        async Task Activity(long person, string type, object properties, DateTimeOffset at) =>
            await (await api.PostAsJsonAsync($"/api/v1/people/{person}/activities", new { type, occurredAt = at, properties }, Ct)).EnsureSuccessWithBodyAsync();
        async Task Post(long person, string action, object body) =>
            await (await api.PostAsJsonAsync($"/api/v1/people/{person}/{action}", body, Ct)).EnsureSuccessWithBodyAsync();

        var xia = (await api.CaptureLeadAsync(new { email = "xia@acme.io" })).Id();
        var yan = (await api.CaptureLeadAsync(new { email = "yan@acme.io" })).Id();
        await Activity(xia, "page_view", new { url = "https://acme.example/pricing?utm_source=google" }, T0);
        await Activity(xia, "content_downloaded", new { asset = "State-Report" }, T0.AddMinutes(-30));
        await Activity(yan, "page_view", new { url = "https://acme.example/pricing-old" }, T0);
        await Activity(yan, "page_view", new { url = "https://acme.example/pricing/" }, T0);
        await Activity(yan, "email_clicked", new { url = "https://acme.example/pricing", sendId = 1 }, T0);
        await Activity(yan, "email_clicked", new { url = "https://acme.example/pricing", sendId = 2, programId = 7 }, T0);
        clock.Set(T0.AddDays(1));
        await (await api.MoveStageAsync(xia, "MQL")).EnsureSuccessWithBodyAsync();
        await Post(xia, "accept", new { });
        await Post(xia, "qualify", new { });
        clock.Set(T0.AddDays(2));
        await Activity(xia, "page_view", new { url = "https://acme.example/pricing" }, T0.AddDays(2));
        clock.Set(T0.AddDays(3));
        await Post(xia, "content-shares", new { assetId = deck, note = "After the call" });
        clock.Set(T0.AddDays(4));
        await Post(xia, "won", new { amount = 5000m });
        clock.Set(T0.AddDays(5));

        var rows = (await api.GetJsonAsync("/api/v1/reports/content?from=2026-11-01&to=2026-11-30")).GetProperty("assets").EnumerateArray().ToList();
        var before = (await api.GetJsonAsync("/api/v1/reports/content?from=2026-10-01&to=2026-10-31")).GetProperty("assets").EnumerateArray().ToList();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badAsset.StatusCode);
        Assert.Equal([page, report, deck], rows.Select(r => r.GetProperty("assetId").GetInt64()));
        static (int, int, int, int, int, int, int, decimal) Figures(JsonElement r) => (r.GetProperty("views").GetInt32(), r.GetProperty("downloads").GetInt32(),
            r.GetProperty("viewers").GetInt32(), r.GetProperty("salesShares").GetInt32(), r.GetProperty("sharedBy").GetInt32(),
            r.GetProperty("influencedSqls").GetInt32(), r.GetProperty("influencedCustomers").GetInt32(), r.GetProperty("influencedRevenue").GetDecimal());
        // Pricing page: Xia's two views, Yan's view and program-email click (4 views by 2 people); Yan's one-to-one click is sales use by no known rep.
        Assert.Equal((4, 0, 2, 1, 0, 1, 1, 5000m), Figures(rows[0]));
        Assert.Equal((0, 1, 1, 0, 0, 1, 1, 5000m), Figures(rows[1]));
        // The deck was sent after Xia became an SQL: it influenced the win, not the SQL.
        Assert.Equal((0, 0, 0, 1, 1, 0, 1, 5000m), Figures(rows[2]));
        Assert.All(before, r => Assert.Equal((0, 0, 0, 0, 0, 0, 0, 0m), Figures(r)));
    }
}

public sealed class ContentReportTestsOnSqlite() : ContentReportTests(DatabaseProvider.Sqlite);

public sealed class ContentReportTestsOnPostgres() : ContentReportTests(DatabaseProvider.Postgres);
