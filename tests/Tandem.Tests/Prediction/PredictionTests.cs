using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Prediction;
using Tandem.Server.Prediction;
using Tandem.Server.Storage;
using Tandem.Tests.Import;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Prediction;

/// <summary>Predictive scoring on a workspace: the outcome rules, refusal, activation only when better, rollback, live predictions.</summary>
public abstract class PredictionTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Today = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A CRM export with outcomes and creation dates: the lead source and the occupation drive conversion, the colour is noise.</summary>
    internal static byte[] History(int people, int young)
    {
        var random = new Random(11);
        var sources = new[] { ("Reference", 0.80), ("Google", 0.45), ("Direct Traffic", 0.30), ("Olark Chat", 0.12) };
        var csv = new StringBuilder("Prospect ID,Email,Lead Source,Occupation,Favourite Colour,TotalVisits,Converted,Create Date\n");
        for (var i = 0; i < people + young; i++)
        {
            var (source, rate) = sources[random.Next(sources.Length)];
            var professional = random.NextDouble() < 0.25;
            var converted = i < people && random.NextDouble() < Math.Min(0.95, rate + (professional ? 0.2 : 0));
            var created = i < people ? new DateTime(2026, 1, 1).AddDays(i * 240.0 / people) : Today.UtcDateTime.AddDays(-10);
            csv.Append(CultureInfo.InvariantCulture,
                $"p-{i},lead{i}@example.com,{source},{(professional ? "Working Professional" : "Student")},{(random.Next(2) == 0 ? "Red" : "Blue")}," +
                $"{random.Next(0, 8)},{(converted ? 1 : 0)},{created:yyyy-MM-dd}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task An_activity_after_the_outcome_never_counts_and_a_young_lead_is_never_a_negative()
    {
        var clock = new ManualClock(Today);
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        var won = (await api.CaptureLeadAsync(new { email = "won@example.com" })).Id();
        var young = (await api.CaptureLeadAsync(new { email = "young@example.com" })).Id();
        var gone = (await api.CaptureLeadAsync(new { email = "gone@example.com" })).Id();
        (await api.PostAsJsonAsync($"/api/v1/people/{won}/activities", new { type = "page_view" }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromDays(2));
        (await api.MoveStageAsync(won, "Customer")).EnsureSuccessStatusCode();
        var convertedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        (await api.MoveStageAsync(gone, "Disqualified", "bad-fit")).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromDays(1));
        // After the conversion: two more page views, one dated back to before it was logged but still after the outcome.
        (await api.PostAsJsonAsync($"/api/v1/people/{won}/activities", new { type = "page_view" }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/people/{won}/activities", new { type = "page_view", occurredAt = clock.GetUtcNow().AddHours(-12) },
            TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var options = server.Services.GetRequiredService<PredictionOptions>();
        async Task<Dictionary<long, (PredictionSubject Subject, Outcome Outcome)>> LabelAsync()
        {
            var subjects = await server.Database.ReadAsync(c => PredictionData.LoadAllAsync(c, null, options));
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            return subjects.ToDictionary(s => s.Snapshot.PersonId, s => (s, OutcomeRules.Decide(s.Facts, now, options.MaturationDays * 86_400_000L)));
        }

        var labels = await LabelAsync();
        Assert.Equal(new Outcome(OutcomeLabel.Positive, convertedAt), labels[won].Outcome);
        Assert.Equal(3, labels[won].Subject.Snapshot.Activities.Count(a => a.Type == "page_view"));
        var schema = new FeatureSchema([], [], ["page_view"]);
        Assert.Equal(1f, schema.Encode(labels[won].Subject.Snapshot, labels[won].Outcome.AsOf)[0]);
        Assert.Equal(new Outcome(OutcomeLabel.Negative, convertedAt), labels[gone].Outcome);
        Assert.Equal(OutcomeLabel.Open, labels[young].Outcome.Label);

        clock.Advance(TimeSpan.FromDays(56)); // 59 days old: still young
        Assert.Equal(OutcomeLabel.Open, (await LabelAsync())[young].Outcome.Label);
        clock.Advance(TimeSpan.FromDays(2)); // 61 days old, never converted: a negative
        Assert.Equal(OutcomeLabel.Negative, (await LabelAsync())[young].Outcome.Label);
    }

    [Fact]
    public async Task Refuses_too_little_history_activates_only_a_better_model_rolls_back_and_keeps_predictions_current()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(Today);
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();

        await api.ImportBytesAsync(History(people: 150, young: 0), "few.csv");
        var refused = await api.PostAsJsonAsync("/api/v1/prediction/models", new { }, ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("at least 200 of each are needed", (await refused.ProblemAsync()).GetProperty("detail").GetString());

        var job = await api.ImportBytesAsync(History(people: 900, young: 40), "history.csv");
        Assert.Equal(0, job.Count("errors"));
        var first = await TrainAsync(api, new { });
        Assert.True(first.GetProperty("activated").GetBoolean(), first.ToString());
        var report = first.GetProperty("report");
        Assert.Equal(40, report.GetProperty("open").GetInt32()); // created ten days ago, not converted: open, not negatives
        Assert.True(report.GetProperty("timeOrdered").GetBoolean());
        Assert.True(report.GetProperty("holdout").GetProperty("auc").GetDouble() > 0.7, report.ToString());
        var v1 = first.GetProperty("version").GetInt64();

        // Every person has a probability; the reasons add up to its distance from the base rate.
        var id = await server.Database.PersonIdAsync("import", "p-3");
        var prediction = await api.GetJsonAsync($"/api/v1/people/{id}/prediction");
        Assert.Equal(v1, prediction.GetProperty("modelVersion").GetInt64());
        var probability = prediction.GetProperty("probability").GetDouble();
        var reasons = prediction.GetProperty("reasons").EnumerateArray().ToList();
        Assert.Equal(probability - prediction.GetProperty("baseRate").GetDouble(), reasons.Sum(r => r.GetProperty("points").GetDouble()), 5);
        Assert.Contains(reasons, r => r.GetProperty("field").GetString() == "channel" && r.GetProperty("text").GetString()!.Contains("points of probability"));

        // Without the fields that carry the signal, the next model is worse on the same held-out people: kept, not activated.
        var worse = await TrainAsync(api, new { exclude = new[] { "channel", "custom.occupation", "custom.prospect_id" } });
        Assert.False(worse.GetProperty("activated").GetBoolean());
        Assert.StartsWith("Kept, not activated", worse.GetProperty("verdict").GetString());
        var v2 = worse.GetProperty("version").GetInt64();
        Assert.Equal(v1, (await api.GetJsonAsync($"/api/v1/people/{id}/prediction")).GetProperty("modelVersion").GetInt64());

        // Rolling forward to it and back again: the active version and everyone's predictions follow.
        (await api.PostAsync($"/api/v1/prediction/models/{v2}/activate", null, ct)).EnsureSuccessStatusCode();
        Assert.Equal(v2, (await api.GetJsonAsync($"/api/v1/people/{id}/prediction")).GetProperty("modelVersion").GetInt64());
        (await api.PostAsync($"/api/v1/prediction/models/{v1}/activate", null, ct)).EnsureSuccessStatusCode();
        var models = (await api.GetJsonAsync("/api/v1/prediction/models")).EnumerateArray().ToList();
        Assert.Equal([v1], models.Where(m => m.GetProperty("active").GetBoolean()).Select(m => m.GetProperty("version").GetInt64()));
        Assert.Equal(v1, (await api.GetJsonAsync($"/api/v1/people/{id}/prediction")).GetProperty("modelVersion").GetInt64());

        // A person's new data re-predicts them at once.
        clock.Advance(TimeSpan.FromMinutes(5));
        (await api.PostAsJsonAsync($"/api/v1/people/{id}/activities", new { type = "page_view" }, ct)).EnsureSuccessStatusCode();
        Assert.Equal(clock.GetUtcNow(), (await api.GetJsonAsync($"/api/v1/people/{id}/prediction")).GetProperty("predictedAt").GetDateTimeOffset());

        // The list filters and sorts by it; the export carries it.
        var top = await api.GetJsonAsync("/api/v1/people?sort=-conversionProbability&limit=5&minProbability=0.5");
        var shown = top.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(5, shown.Count);
        var exported = await api.ExportAsync("?minProbability=0.5");
        Assert.All(exported, row => Assert.True(double.Parse(row["conversion_probability"], CultureInfo.InvariantCulture) >= 0.5));
        var highest = exported.Max(row => double.Parse(row["conversion_probability"], CultureInfo.InvariantCulture));
        Assert.Equal(highest, double.Parse(exported.Single(row => row["id"] == shown[0].ToString(CultureInfo.InvariantCulture))["conversion_probability"],
            CultureInfo.InvariantCulture), 4);
    }

    private static async Task<JsonElement> TrainAsync(HttpClient api, object request)
    {
        var response = await api.PostAsJsonAsync("/api/v1/prediction/models", request, TestContext.Current.CancellationToken);
        await response.EnsureSuccessWithBodyAsync();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }
}

public sealed class PredictionTestsOnSqlite() : PredictionTests(DatabaseProvider.Sqlite);

public sealed class PredictionTestsOnPostgres() : PredictionTests(DatabaseProvider.Postgres);
