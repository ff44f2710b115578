using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Nurture;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Nurture;

/// <summary>The calls a nurture test makes, named for what a marketer does, and the reads it asserts on.</summary>
internal static class NurtureWorkspace
{
    /// <summary>Monday 2 November 2026, 09:00 UTC.</summary>
    public static readonly DateTimeOffset MondayNine = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Schedulers off: the test ticks by hand on its fake clock.</summary>
    public static readonly Dictionary<string, string?> ManualTicks = new()
    {
        ["Tandem:Nurture:SchedulerEnabled"] = "false",
        ["Tandem:Sla:SchedulerEnabled"] = "false",
    };

    /// <summary>A server whose programs move only when a test ticks them, its clock at <see cref="MondayNine"/>, and an admin client.</summary>
    public static async Task<(TandemServer Server, HttpClient Api, ManualClock Clock)> StartNurtureAsync(DatabaseProvider provider)
    {
        var clock = new ManualClock(MondayNine);
        var server = await TandemServer.StartAsync(provider, clock, ManualTicks);
        return (server, await server.AdminClientAsync(), clock);
    }

    public static async Task<long> CreateProgramAsync(this HttpClient api, string name, string kind, object definition, bool publish = true)
    {
        var response = await api.PostAsJsonAsync("/api/v1/nurture/programs", new { name, kind, definition });
        await response.EnsureSuccessWithBodyAsync();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
        if (publish) await (await api.PostAsync($"/api/v1/nurture/programs/{id}/publish", null)).EnsureSuccessWithBodyAsync();
        return id;
    }

    public static async Task<JsonElement> EnrollAsync(this HttpClient api, long programId, long personId)
    {
        var response = await api.PostAsJsonAsync($"/api/v1/nurture/programs/{programId}/enroll", new { personId });
        await response.EnsureSuccessWithBodyAsync();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<long> LeadAsync(this HttpClient api, string email, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["email"] = email, ["firstName"] = email.Split('@')[0] };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject()) body[p.Name] = p.Value;
        return (await api.CaptureLeadAsync(body)).Id();
    }

    public static Task<NurtureTickResult> TickNurtureAsync(this TandemServer server) => server.Services.GetRequiredService<NurtureTicker>().TickAsync();

    public static async Task<JsonElement> EnrollmentOfAsync(this HttpClient api, long personId, long programId) =>
        (await api.GetJsonAsync($"/api/v1/people/{personId}/enrollments")).EnumerateArray().Single(e => e.GetProperty("programId").GetInt64() == programId);

    public static Task<long> CountAsync(this Database db, string sql, object? args = null) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), TestContext.Current.CancellationToken);

    /// <summary>Records an email event the way the email modules do: inside a Consequences transaction, after their own writes.</summary>
    public static Task RaiseEmailEventAsync(this TandemServer server, long personId, EmailEventKind kind) =>
        server.Services.GetRequiredService<Consequences>().WriteAsync((c, tx) =>
        {
            server.Services.GetRequiredService<PersonEvents>().Raise(tx, new EmailEventRecorded(personId, kind, null, null, null, null, Actor.System("test")));
            return Task.CompletedTask;
        });

    public static string Status(this JsonElement enrollment) => enrollment.GetProperty("status").GetString()!;

    public static string? ExitReason(this JsonElement enrollment) => enrollment.GetProperty("exitReason").GetString();
}
