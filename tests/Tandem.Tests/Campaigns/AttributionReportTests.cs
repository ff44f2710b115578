using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Campaigns;

/// <summary>
/// A small known history, checked to the cent. Two campaigns: A (Paid Search, costs 1,000 in October and 500 in
/// November, 700 in September outside the quarter) and B (Events, 600 in November). Monday 2 November 09:00 is T0.
/// Pia: touched by A a day before she became a lead at T0, by B at T0+2d, by A again at T0+4.5d; MQL at T0+3d, SQL at
/// T0+4d, opportunity of 10,000 at T0+5d, won for 8,000 at T0+6d. Ben: touched by B two hours before he became a lead
/// at T0; MQL at T0+3d.
/// </summary>
public abstract class AttributionReportTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private const string Q4 = "from=2026-10-01&to=2026-12-31";

    private sealed record World(TandemServer Server, HttpClient Api, long A, long B, long Pia, long Ben) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() { Api.Dispose(); await Server.DisposeAsync(); }
    }

    private static async Task<World> BuildAsync(DatabaseProvider provider)
    {
        var clock = new ManualClock(T0);
        var server = await TandemServer.StartAsync(provider, clock);
        var api = await server.AdminClientAsync();
        async Task<long> Campaign(string name, string channel, string utm) =>
            (await (await api.PostAsJsonAsync("/api/v1/campaigns", new { name, channel, utmCampaign = utm }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).Id();
        var a = await Campaign("A", "Paid Search", "a");
        var b = await Campaign("B", "Events", "b");
        await (await api.PostAsync("/api/v1/campaigns/costs/import",
            new StringContent("campaign,month,amount\na,2026-09,700\na,2026-10,1000\na,2026-11,500\nb,2026-11,600\n", Encoding.UTF8, "text/csv"), Ct)).EnsureSuccessWithBodyAsync();

        async Task Touch(long person, long campaign, DateTimeOffset at) =>
            await (await api.PostAsJsonAsync($"/api/v1/people/{person}/activities", new { type = "page_view", occurredAt = at, campaignId = campaign }, Ct))
                .EnsureSuccessWithBodyAsync();
        async Task Post(long person, string action, object body) =>
            await (await api.PostAsJsonAsync($"/api/v1/people/{person}/{action}", body, Ct)).EnsureSuccessWithBodyAsync();

        var pia = (await api.CaptureLeadAsync(new { email = "pia@acme.io", firstName = "Pia" })).Id();
        var ben = (await api.CaptureLeadAsync(new { email = "ben@acme.io", firstName = "Ben" })).Id();
        await Touch(pia, a, T0.AddDays(-1));
        await Touch(ben, b, T0.AddHours(-2));
        clock.Set(T0.AddDays(2));
        await Touch(pia, b, T0.AddDays(2));
        clock.Set(T0.AddDays(3));
        await (await api.MoveStageAsync(pia, "MQL")).EnsureSuccessWithBodyAsync();
        await (await api.MoveStageAsync(ben, "MQL")).EnsureSuccessWithBodyAsync();
        await Post(pia, "accept", new { });
        clock.Set(T0.AddDays(4));
        await Post(pia, "qualify", new { });
        clock.Set(T0.AddDays(4.5));
        await Touch(pia, a, T0.AddDays(4.5));
        clock.Set(T0.AddDays(5));
        await Post(pia, "opportunity", new { amount = 10000m });
        clock.Set(T0.AddDays(6));
        await Post(pia, "won", new { amount = 8000m });
        clock.Set(T0.AddDays(10));
        return new World(server, api, a, b, pia, ben);
    }

    private static JsonElement RowOf(JsonElement report, string key) =>
        report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == key);

    private static double[] Counts(JsonElement row) =>
        new[] { "leads", "mqls", "sqls", "opportunities", "customers" }.Select(f => row.GetProperty(f).GetDouble()).ToArray();

    [Fact]
    public async Task Each_model_credits_the_known_history_exactly_and_every_outcome_sums_to_one()
    {
        await using var w = await BuildAsync(provider);
        var (a, b) = (w.A.ToString(), w.B.ToString());
        // Time decay (7-day half-life): Pia's MQL at T0+3d weighs A's touch 4 days before, B's 1 day before; her SQL 5 and 2 days.
        double Decay(double aDays, double bDays) => Math.Round(Math.Pow(2, -aDays / 7) / (Math.Pow(2, -aDays / 7) + Math.Pow(2, -bDays / 7)), 4);
        double DecayOfThree(double a1, double b1, double a2) =>
            Math.Round((Math.Pow(2, -a1 / 7) + Math.Pow(2, -a2 / 7)) / (Math.Pow(2, -a1 / 7) + Math.Pow(2, -b1 / 7) + Math.Pow(2, -a2 / 7)), 4);
        var expectedA = new Dictionary<string, double[]>
        {
            ["first-touch"] = [1, 1, 1, 1, 1],
            ["last-touch"] = [1, 0, 0, 1, 1],
            ["linear"] = [1, 0.5, 0.5, 0.6667, 0.6667],
            ["u-shaped"] = [1, 0.8, 0.8, 0.9, 0.9],
            ["w-shaped"] = [1, 0.8, 0.8, 0.9, 0.9],
            ["time-decay"] = [1, Decay(4, 1), Decay(5, 2), DecayOfThree(6, 3, 0.5), DecayOfThree(7, 4, 1.5)],
        };
        foreach (var (model, credit) in expectedA)
        {
            var report = await w.Api.GetJsonAsync($"/api/v1/reports/attribution?model={model}&{Q4}");
            var outcomes = report.GetProperty("outcomes");
            Assert.Equal([2, 2, 1, 1, 1], new[] { "leads", "mqls", "sqls", "opportunities", "customers" }.Select(k => outcomes.GetProperty(k).GetInt32()));
            var rowA = Counts(RowOf(report, a));
            var rowB = Counts(RowOf(report, b));
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(credit[i], rowA[i], 3);
                // Whatever A does not get of Pia's outcomes goes to B, and all of Ben's: each outcome's credit sums to 1.
                Assert.Equal(new double[] { 2, 2, 1, 1, 1 }[i], Math.Round(rowA[i] + rowB[i], 3));
            }
        }
    }

    [Fact]
    public async Task Costs_per_stage_and_ROI_use_the_quarter_s_costs_and_the_W_shaped_credit()
    {
        await using var w = await BuildAsync(provider);

        var report = await w.Api.GetJsonAsync($"/api/v1/reports/attribution?model=w-shaped&{Q4}");
        var a = RowOf(report, w.A.ToString());
        var b = RowOf(report, w.B.ToString());

        Assert.Equal(["2026-10", "2026-11", "2026-12"], report.GetProperty("costMonths").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal((1500m, 9000m, 7200m), (a.GetProperty("cost").GetDecimal(), a.GetProperty("pipeline").GetDecimal(), a.GetProperty("revenue").GetDecimal()));
        Assert.Equal((1500m, 1875m, 1875m, 1666.67m), (a.GetProperty("costPerLead").GetDecimal(), a.GetProperty("costPerMql").GetDecimal(),
            a.GetProperty("costPerSql").GetDecimal(), a.GetProperty("costPerCustomer").GetDecimal()));
        Assert.Equal(3.8, a.GetProperty("roi").GetDouble(), 4);
        Assert.Equal((600m, 1000m, 800m), (b.GetProperty("cost").GetDecimal(), b.GetProperty("pipeline").GetDecimal(), b.GetProperty("revenue").GetDecimal()));
        Assert.Equal((600m, 500m, 3000m, 6000m), (b.GetProperty("costPerLead").GetDecimal(), b.GetProperty("costPerMql").GetDecimal(),
            b.GetProperty("costPerSql").GetDecimal(), b.GetProperty("costPerCustomer").GetDecimal()));
        Assert.Equal(0.3333, b.GetProperty("roi").GetDouble(), 4);
        var total = report.GetProperty("total");
        Assert.Equal((2100m, 8000m, 10000m), (total.GetProperty("cost").GetDecimal(), total.GetProperty("revenue").GetDecimal(), total.GetProperty("pipeline").GetDecimal()));

        var byChannel = await w.Api.GetJsonAsync($"/api/v1/reports/attribution?model=w-shaped&by=channel&{Q4}");
        Assert.Equal(0.9, RowOf(byChannel, "Paid Search").GetProperty("customers").GetDouble(), 4);
        Assert.Equal(600m, RowOf(byChannel, "Events").GetProperty("cost").GetDecimal());

        var september = await w.Api.GetJsonAsync("/api/v1/reports/attribution?from=2026-09-01&to=2026-09-30");
        Assert.Equal(700m, RowOf(september, w.A.ToString()).GetProperty("cost").GetDecimal());
        Assert.Equal(0, september.GetProperty("outcomes").GetProperty("leads").GetInt32());
    }

    [Fact]
    public async Task The_drill_down_lists_the_people_behind_a_figure_with_their_share()
    {
        await using var w = await BuildAsync(provider);

        var mqls = await w.Api.GetJsonAsync($"/api/v1/reports/attribution/credits?model=u-shaped&outcome=mqls&campaign={w.B}&{Q4}");
        var campaigns = await w.Api.GetJsonAsync($"/api/v1/reports/campaigns?model=first-touch&{Q4}");
        var badModel = await w.Api.GetAsync("/api/v1/reports/attribution?model=last-click-wins", Ct);
        var badDate = await w.Api.GetAsync("/api/v1/reports/attribution?from=2026-13-01", Ct);

        Assert.Equal(1.2, mqls.GetProperty("credited").GetDouble(), 4);
        Assert.Equal([(w.Pia, 0.2), (w.Ben, 1.0)], mqls.GetProperty("credits").EnumerateArray()
            .Select(x => (x.GetProperty("personId").GetInt64(), x.GetProperty("share").GetDouble())).OrderBy(x => x.Item2));
        var a = campaigns.GetProperty("campaigns").EnumerateArray().Single(c => c.GetProperty("campaign").GetProperty("id").GetInt64() == w.A);
        Assert.Equal(1, a.GetProperty("figures").GetProperty("customers").GetDouble());
        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        Assert.Contains("w-shaped", (await badModel.ProblemAsync()).GetProperty("errors").GetProperty("model")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
    }
}

public sealed class AttributionReportTestsOnSqlite() : AttributionReportTests(DatabaseProvider.Sqlite);

public sealed class AttributionReportTestsOnPostgres() : AttributionReportTests(DatabaseProvider.Postgres);
