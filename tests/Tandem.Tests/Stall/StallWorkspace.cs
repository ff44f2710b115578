using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Stall;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Stall;

/// <summary>The calls a stall test makes, named for what a manager or marketer does.</summary>
internal static class StallWorkspace
{
    /// <summary>Every scheduler off: the test sweeps and ticks by hand on its fake clock.</summary>
    public static readonly Dictionary<string, string?> ManualTicks = new()
    {
        ["Tandem:Nurture:SchedulerEnabled"] = "false",
        ["Tandem:Sla:SchedulerEnabled"] = "false",
        ["Tandem:Stall:SchedulerEnabled"] = "false",
    };

    /// <summary>Saves the rules as the draft and publishes them.</summary>
    public static async Task PublishRulesAsync(this HttpClient api, object rules)
    {
        await (await api.PutAsJsonAsync("/api/v1/stalls/rules/draft", rules, TestContext.Current.CancellationToken)).EnsureSuccessWithBodyAsync();
        await (await api.PostAsync("/api/v1/stalls/rules/publish", null, TestContext.Current.CancellationToken)).EnsureSuccessWithBodyAsync();
    }

    public static async Task<JsonElement> SweepAsync(this HttpClient api)
    {
        var response = await api.PostAsync("/api/v1/stalls/sweep", null, TestContext.Current.CancellationToken);
        await response.EnsureSuccessWithBodyAsync();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public static Task<StallTickResult> SweepAsync(this TandemServer server) => server.Services.GetRequiredService<StallTicker>().TickAsync();

    public static async Task<JsonElement> StallsAsync(this HttpClient api, string query = "state=live") =>
        await api.GetJsonAsync($"/api/v1/stalls?{query}");

    public static async Task<JsonElement> StallOfAsync(this HttpClient api, long personId, string state = "all")
    {
        var all = await api.GetJsonAsync("/api/v1/stalls?state=" + (state == "all" ? "live" : state));
        var list = all.EnumerateArray().Where(s => s.GetProperty("personId").GetInt64() == personId).ToList();
        if (list.Count == 0 && state == "all")
            foreach (var other in new[] { "revived", "closed" })
                list.AddRange((await api.GetJsonAsync("/api/v1/stalls?state=" + other)).EnumerateArray().Where(s => s.GetProperty("personId").GetInt64() == personId));
        return Assert.Single(list);
    }

    public static async Task PostOkAsync(this HttpClient api, string url, object? body = null) =>
        await (await api.PostAsJsonAsync(url, body ?? new { }, TestContext.Current.CancellationToken)).EnsureSuccessWithBodyAsync();

    public static Task<long> CountAsync(this Database db, string sql, object? args = null) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), TestContext.Current.CancellationToken);

    public static Task<string> StageOfAsync(this Database db, long personId) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT stage FROM people WHERE id = @personId", new { personId }), TestContext.Current.CancellationToken)!;

    public static string S(this JsonElement e, string property) => e.GetProperty(property).GetString()!;
}
