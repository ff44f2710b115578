using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Routing;

/// <summary>Intent-named steps for routing tests: hire reps, form a team, write a rule, qualify a lead.</summary>
public static class RoutingSetup
{
    public static async Task<long> HireAsync(this TandemServer server, string name, string role = Roles.SalesRep) =>
        (await server.Services.GetRequiredService<UserStore>().EnsureAsync($"{name.ToLowerInvariant()}@lumen.example", name, role, null)).Id;

    public static async Task<long> CreateTeamAsync(this HttpClient api, string name, long[] members, long? manager = null, long? fallback = null)
    {
        var response = await api.PostAsJsonAsync("/api/v1/routing/teams", new { name, memberUserIds = members, managerUserId = manager, fallbackUserId = fallback });
        await response.EnsureSuccessWithBodyAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    public static async Task<long> CreateRuleAsync(this HttpClient api, string name, long teamId, string method = "roundRobin", object[]? conditions = null,
        bool respectWorkingHours = false, int? position = null)
    {
        var response = await api.PostAsJsonAsync("/api/v1/routing/rules",
            new { name, teamId, method, conditions = conditions ?? [], respectWorkingHours, position });
        await response.EnsureSuccessWithBodyAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    public static async Task SetRepAsync(this HttpClient api, long userId, object settings)
    {
        var response = await api.PutAsJsonAsync($"/api/v1/routing/reps/{userId}", settings);
        await response.EnsureSuccessWithBodyAsync();
    }

    public static async Task<long> QualifyAsync(this HttpClient api, long personId)
    {
        var response = await api.MoveStageAsync(personId, "MQL");
        await response.EnsureSuccessWithBodyAsync();
        return personId;
    }

    public static async Task<JsonElement> RoutingOfAsync(this HttpClient api, long personId) =>
        await api.GetJsonAsync($"/api/v1/people/{personId}/routing");

    /// <summary>Sets the scores scoring would have written (until scoring lands, tests set the columns directly).</summary>
    public static Task SetScoresAsync(this TandemServer server, long personId, string grade, params string[] personas) =>
        server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET fit_grade = @grade, personas = @personas WHERE id = @personId",
            new { grade, personas = JsonSerializer.Serialize(personas), personId }, tx));

    public static Task<long?> OwnerOfAsync(this TandemServer server, long personId) =>
        server.Database.ReadAsync(c => c.QuerySingleAsync<long?>("SELECT owner_id FROM people WHERE id = @personId", new { personId }));
}
