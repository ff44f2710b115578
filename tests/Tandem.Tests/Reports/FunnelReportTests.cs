using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Reports;

/// <summary>
/// The funnel, velocity and traffic reports over a small known history, checked to the exact number on both databases:
/// three leads in the first ten days (one skips SAL, one is disqualified), a fourth twenty days later.
/// </summary>
public abstract class FunnelReportTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);

    private sealed record History(TandemServer Server, ManualClock Clock, HttpClient Api, long A, long B, long C, long D) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() { Api.Dispose(); await Server.DisposeAsync(); }
    }

    private async Task<History> BuildHistoryAsync()
    {
        var clock = new ManualClock(T0);
        var server = await TandemServer.StartAsync(provider, clock);
        var api = await server.AdminClientAsync();
        var paid = new { utmSource = "google", utmMedium = "cpc", utmCampaign = "autumn" };
        var mail = new { utmSource = "newsletter", utmMedium = "email" };
        var a = (await api.CaptureLeadAsync(new { email = "a@acme.io", attribution = paid })).Id();
        var b = (await api.CaptureLeadAsync(new { email = "b@acme.io", attribution = paid })).Id();
        var c = (await api.CaptureLeadAsync(new { email = "c@acme.io", attribution = mail })).Id();
        await MoveAtAsync(api, clock, T0.AddDays(1), a, "MQL");
        await MoveAtAsync(api, clock, T0.AddDays(1), b, "MQL");
        await MoveAtAsync(api, clock, T0.AddDays(3), a, "SAL");
        await MoveAtAsync(api, clock, T0.AddDays(4), b, "SQL"); // skips SAL
        await MoveAtAsync(api, clock, T0.AddDays(5), c, "Disqualified", "spam");
        clock.Set(T0.AddDays(20));
        var d = (await api.CaptureLeadAsync(new { email = "d@acme.io", attribution = mail })).Id();
        await MoveAtAsync(api, clock, T0.AddDays(21), d, "MQL");
        await MoveAtAsync(api, clock, T0.AddDays(22), a, "SQL");
        clock.Set(T0.AddDays(30));
        return new History(server, clock, api, a, b, c, d);
    }

    private static async Task MoveAtAsync(HttpClient api, ManualClock clock, DateTimeOffset at, long id, string stage, string? reason = null)
    {
        clock.Set(at);
        await (await api.MoveStageAsync(id, stage, reason)).EnsureSuccessWithBodyAsync();
    }

    private static string Day(int days) => T0.AddDays(days).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static Dictionary<string, long> Counts(JsonElement funnel) =>
        funnel.GetProperty("steps").EnumerateArray().Concat(funnel.GetProperty("exits").EnumerateArray())
            .ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("count").GetInt64());

    private static JsonElement Step(JsonElement funnel, string stage) =>
        funnel.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == stage);

    [Fact]
    public async Task The_period_funnel_counts_who_reached_each_stage_in_the_period_and_passing_a_stage_counts_as_reaching_it()
    {
        await using var h = await BuildHistoryAsync();

        var first = await h.Api.GetJsonAsync($"/api/v1/reports/funnel?from={Day(0)}&to={Day(10)}");
        Assert.Equal("period", first.GetProperty("mode").GetString());
        Assert.Equal(new Dictionary<string, long> { ["Lead"] = 3, ["MQL"] = 2, ["SAL"] = 2, ["SQL"] = 1, ["Opportunity"] = 0, ["Customer"] = 0,
            ["Recycled"] = 0, ["Disqualified"] = 1 }, Counts(first));
        Assert.Equal(0.6667, Step(first, "MQL").GetProperty("fromPrevious").GetDouble());
        Assert.Equal(1.0, Step(first, "SAL").GetProperty("fromPrevious").GetDouble());
        Assert.Equal(0.5, Step(first, "SQL").GetProperty("fromPrevious").GetDouble());
        Assert.Equal(0.0, Step(first, "Opportunity").GetProperty("fromPrevious").GetDouble());
        Assert.Equal(JsonValueKind.Null, Step(first, "Customer").GetProperty("fromPrevious").ValueKind); // nobody to convert from

        var later = await h.Api.GetJsonAsync($"/api/v1/reports/funnel?from={Day(20)}&to={Day(30)}");
        Assert.Equal(new Dictionary<string, long> { ["Lead"] = 1, ["MQL"] = 1, ["SAL"] = 0, ["SQL"] = 1, ["Opportunity"] = 0, ["Customer"] = 0,
            ["Recycled"] = 0, ["Disqualified"] = 0 }, Counts(later));
    }

    [Fact]
    public async Task A_cohort_is_followed_forward_past_its_period_while_the_period_funnel_is_not()
    {
        await using var h = await BuildHistoryAsync();

        var created = await h.Api.GetJsonAsync($"/api/v1/reports/funnel?mode=cohort&from={Day(0)}&to={Day(10)}");
        Assert.Contains("cohort", created.GetProperty("shows").GetString());
        Assert.Equal(new Dictionary<string, long> { ["Lead"] = 3, ["MQL"] = 2, ["SAL"] = 2, ["SQL"] = 2, ["Opportunity"] = 0, ["Customer"] = 0,
            ["Recycled"] = 0, ["Disqualified"] = 1 }, Counts(created));

        var mqls = await h.Api.GetJsonAsync($"/api/v1/reports/funnel?mode=mql-cohort&from={Day(0)}&to={Day(10)}");
        Assert.Equal(new Dictionary<string, long> { ["Lead"] = 2, ["MQL"] = 2, ["SAL"] = 2, ["SQL"] = 2, ["Opportunity"] = 0, ["Customer"] = 0,
            ["Recycled"] = 0, ["Disqualified"] = 0 }, Counts(mqls));

        // Each count's people filters list exactly the people it counts.
        async Task<long[]> PeopleOf(JsonElement funnel, string stage) =>
            (await h.Api.GetJsonAsync("/api/v1/people?" + Step(funnel, stage).GetProperty("people").GetString()))
            .GetProperty("items").EnumerateArray().Select(p => p.Id()).Order().ToArray();
        Assert.Equal(new[] { h.A, h.B }.Order(), await PeopleOf(created, "SQL"));
        Assert.Equal(new[] { h.A, h.B }.Order(), await PeopleOf(mqls, "SQL"));
        var period = await h.Api.GetJsonAsync($"/api/v1/reports/funnel?from={Day(0)}&to={Day(10)}");
        Assert.Equal([h.B], await PeopleOf(period, "SQL"));
    }

    [Fact]
    public async Task The_trend_places_each_stage_entry_in_its_week_and_the_breakdown_splits_by_channel_with_its_people()
    {
        await using var h = await BuildHistoryAsync();

        var f = await h.Api.GetJsonAsync($"/api/v1/reports/funnel?from={Day(0)}&to={Day(28)}&interval=week&by=channel");
        var trend = f.GetProperty("trend");
        Assert.Equal(4, trend.GetProperty("starts").GetArrayLength());
        Assert.Equal([2, 0, 0, 1], trend.GetProperty("counts").GetProperty("MQL").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal([1, 0, 0, 1], trend.GetProperty("counts").GetProperty("SQL").EnumerateArray().Select(x => x.GetInt64()));

        var paidChannel = (await h.Api.GetJsonAsync($"/api/v1/people/{h.A}")).GetProperty("firstTouch").GetProperty("attribution").GetProperty("channel").GetString();
        var groups = f.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count);
        var paid = groups.Single(g => g.GetProperty("key").GetString() == paidChannel);
        Assert.Equal(2, paid.GetProperty("counts").GetProperty("SQL").GetInt64());
        Assert.Equal(1.0, paid.GetProperty("leadToSql").GetDouble());
        var other = groups.Single(g => g.GetProperty("key").GetString() != paidChannel);
        Assert.Equal(2, other.GetProperty("counts").GetProperty("Lead").GetInt64());
        Assert.Equal(1, other.GetProperty("counts").GetProperty("Disqualified").GetInt64());
        var paidSql = await h.Api.GetJsonAsync("/api/v1/people?" + paid.GetProperty("people").GetProperty("SQL").GetString());
        Assert.Equal(new[] { h.A, h.B }.Order(), paidSql.GetProperty("items").EnumerateArray().Select(p => p.Id()).Order());

        var byCampaign = await h.Api.GetJsonAsync($"/api/v1/reports/funnel?from={Day(0)}&to={Day(28)}&by=campaign");
        var autumn = byCampaign.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "autumn");
        Assert.Equal(2, autumn.GetProperty("counts").GetProperty("MQL").GetInt64());
        var autumnPeople = await h.Api.GetJsonAsync("/api/v1/people?" + autumn.GetProperty("people").GetProperty("MQL").GetString());
        Assert.Equal(2, autumnPeople.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Velocity_gives_median_and_p90_days_between_stages_leaving_out_skipped_stages_and_time_in_stage_now()
    {
        await using var h = await BuildHistoryAsync();

        var v = await h.Api.GetJsonAsync($"/api/v1/reports/velocity?from={Day(0)}&to={Day(30)}");
        JsonElement Interval(string from, string to) => v.GetProperty("intervals").EnumerateArray()
            .Single(i => i.GetProperty("from").GetString() == from && i.GetProperty("to").GetString() == to);
        Assert.Equal(3, Interval("Lead", "MQL").GetProperty("people").GetInt64());
        Assert.Equal(1.0, Interval("Lead", "MQL").GetProperty("medianDays").GetDouble());
        Assert.Equal(1, Interval("MQL", "SAL").GetProperty("people").GetInt64()); // B skipped SAL
        Assert.Equal(2.0, Interval("MQL", "SAL").GetProperty("medianDays").GetDouble());
        Assert.Equal(19.0, Interval("SAL", "SQL").GetProperty("medianDays").GetDouble());
        Assert.Equal(12.0, Interval("MQL", "SQL").GetProperty("medianDays").GetDouble()); // 3 and 21 days
        Assert.Equal(19.2, Interval("MQL", "SQL").GetProperty("p90Days").GetDouble());
        Assert.Equal(13.0, Interval("Lead", "SQL").GetProperty("medianDays").GetDouble()); // 4 and 22 days
        Assert.Equal(0, Interval("Opportunity", "Customer").GetProperty("people").GetInt64());

        var sql = v.GetProperty("inStageNow").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == "SQL");
        Assert.Equal(2, sql.GetProperty("people").GetInt64());
        Assert.Equal(17.0, sql.GetProperty("medianDays").GetDouble()); // 8 and 26 days
        Assert.Equal(24.2, sql.GetProperty("p90Days").GetDouble());
        Assert.Equal([h.B, h.D, h.A], v.GetProperty("slowest").EnumerateArray().Select(s => s.Id()));
    }

    [Fact]
    public async Task Traffic_splits_page_views_into_sessions_of_known_and_anonymous_visitors_by_channel()
    {
        await using var h = await BuildHistoryAsync();
        using var tracker = h.Server.Client();
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(await h.Server.CreateKeyAsync("ingest") + ":")));
        object Page(string id, string visitor, int minutes, bool paid = false) => new
        {
            type = "page", messageId = id, anonymousId = visitor, timestamp = Day(25).Replace("09:00:00", $"09:{minutes:00}:00"),
            context = paid ? new { campaign = (object)new { name = "autumn", source = "google", medium = "cpc" } } : new { campaign = (object)new { } },
        };
        var batch = new
        {
            batch = new object[]
            {
                Page("p1", "v1", 0, paid: true), Page("p2", "v1", 10), Page("p3", "v1", 50), // two sessions: a 40-minute pause
                Page("p4", "v2", 5),
                new { type = "identify", messageId = "i1", anonymousId = "v2", userId = "u-d", traits = new { email = "d@acme.io" }, timestamp = Day(25) },
            },
        };
        (await tracker.PostAsJsonAsync("/v1/batch", batch, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var t = await h.Api.GetJsonAsync($"/api/v1/reports/traffic?from={Day(20)}&to={Day(30)}");
        var totals = t.GetProperty("totals");
        Assert.Equal(4, totals.GetProperty("pageViews").GetInt64());
        Assert.Equal(3, totals.GetProperty("sessions").GetInt64());
        Assert.Equal(2, totals.GetProperty("visitors").GetInt64());
        Assert.Equal(1, totals.GetProperty("knownVisitors").GetInt64());
        Assert.Equal(1, totals.GetProperty("knownSessions").GetInt64());
        Assert.Equal(2, totals.GetProperty("anonymousSessions").GetInt64());
        var channels = t.GetProperty("channels").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("sessions").GetInt64());
        Assert.Equal(2, channels["direct"]);
        Assert.Equal(1, channels.Where(c => c.Key != "direct").Sum(c => c.Value));
    }

    [Fact]
    public async Task A_reports_key_reads_the_numbers_but_not_people_and_a_bad_period_is_named()
    {
        await using var h = await BuildHistoryAsync();
        using var reports = h.Server.Client(await h.Server.CreateKeyAsync("reports:read"));

        (await reports.GetAsync("/api/v1/reports/funnel", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await reports.GetAsync("/api/v1/people", TestContext.Current.CancellationToken)).StatusCode);
        var bad = await h.Api.GetAsync($"/api/v1/reports/funnel?from={Day(10)}&to={Day(0)}&by=planet", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("to", out _));
        Assert.True(errors.TryGetProperty("by", out _));
    }
}

public sealed class FunnelReportTestsOnSqlite() : FunnelReportTests(DatabaseProvider.Sqlite);

public sealed class FunnelReportTestsOnPostgres() : FunnelReportTests(DatabaseProvider.Postgres);
