using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Sla;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Sla;

/// <summary>A sales team (a manager, three reps) and the calls an SLA test makes, named for what users do.</summary>
internal sealed record SalesTeam(long TeamId, long Manager, long Ana, long Ben, long Cleo);

internal static class SlaWorkspace
{
    /// <summary>Monday 2 November 2026, 09:00 UTC — a working morning.</summary>
    public static readonly DateTimeOffset MondayNine = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly Dictionary<string, string?> ManualTicks = new() { ["Tandem:Sla:SchedulerEnabled"] = "false" };

    /// <summary>For tests of what a breach does when nobody else can take the lead: reassignment finds nobody.</summary>
    public static void WithoutReassignment(IServiceCollection services)
    {
        foreach (var d in services.Where(d => d.ServiceType == typeof(IReassignLeads)).ToList()) services.Remove(d);
        services.AddSingleton<IReassignLeads, NobodyElse>();
    }

    /// <summary>For tests that assign leads themselves: the real router does not also run on the move to MQL.</summary>
    public static void WithoutRoutingOnMql(IServiceCollection services)
    {
        foreach (var d in services.Where(d => d.ImplementationType == typeof(Tandem.Server.Routing.RouteOnMql)).ToList()) services.Remove(d);
    }

    public static async Task<SalesTeam> SeedTeamAsync(Database db) => await db.WriteAsync(async (c, tx) =>
    {
        var now = MondayNine.ToUnixTimeMilliseconds();
        var manager = (await UserStore.EnsureAsync(c, tx, "maria@corp.example", "Maria Manager", Roles.SalesManager, null, now)).Id;
        var ana = (await UserStore.EnsureAsync(c, tx, "ana@corp.example", "Ana", Roles.SalesRep, null, now)).Id;
        var ben = (await UserStore.EnsureAsync(c, tx, "ben@corp.example", "Ben", Roles.SalesRep, null, now)).Id;
        var cleo = (await UserStore.EnsureAsync(c, tx, "cleo@corp.example", "Cleo", Roles.SalesRep, null, now)).Id;
        var team = await c.ExecuteScalarAsync<long>(
            "INSERT INTO teams (name, manager_user_id, created_at) VALUES ('Inbound SDR', @manager, @now) RETURNING id", new { manager, now }, tx);
        foreach (var rep in new[] { ana, ben, cleo })
            await c.ExecuteAsync("INSERT INTO team_members (team_id, user_id, created_at) VALUES (@team, @rep, @now)", new { team, rep, now }, tx);
        return new SalesTeam(team, manager, ana, ben, cleo);
    });

    /// <summary>A UTC office calendar, Monday to Friday 09:00-17:00, so expected instants are easy to read.</summary>
    public static async Task<long> CreateOfficeCalendarAsync(this HttpClient api, string timeZone = "UTC", params string[] holidays)
    {
        var weekday = new[] { "09:00-17:00" };
        var response = await api.PostAsJsonAsync("/api/v1/sla/calendars", new
        {
            name = "Office " + timeZone, timeZone,
            weeklyHours = new { monday = weekday, tuesday = weekday, wednesday = weekday, thursday = weekday, friday = weekday },
            holidays = holidays.Select(d => new { date = d, name = "Holiday" }),
        });
        await response.EnsureSuccessWithBodyAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    /// <summary>"MQL: first touch within 1 business hour; decide within 4; 3 attempts over 2 business days; remind at 50% and 90%."</summary>
    public static async Task<long> CreateMqlPolicyAsync(this HttpClient api, long calendarId, bool reassign = true, string[]? grades = null)
    {
        var response = await api.PostAsJsonAsync("/api/v1/sla/policies", new
        {
            name = "MQL " + string.Join("", grades ?? ["any"]), stage = "MQL", calendarId, priority = grades is null ? 100 : 10,
            segment = new { grades = grades ?? [] },
            firstTouch = new { amount = 1, unit = "hours" },
            decision = new { amount = 4, unit = "hours" },
            attempts = new { minimum = 3, over = new { amount = 2, unit = "days" } },
            reminderPercents = new[] { 50, 90 },
            onBreach = new { notifyManager = true, reassign },
        });
        await response.EnsureSuccessWithBodyAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    /// <summary>Captures a lead, makes it an MQL and gives it to a rep by hand, as a manager would.</summary>
    public static async Task<long> AssignedMqlAsync(this HttpClient api, string email, long ownerId, long? teamId)
    {
        var person = await api.CaptureLeadAsync(new { email });
        (await api.MoveStageAsync(person.Id(), "MQL")).EnsureSuccessStatusCode();
        await api.AssignAsync(person.Id(), ownerId, teamId);
        return person.Id();
    }

    public static async Task AssignAsync(this HttpClient api, long personId, long ownerId, long? teamId) =>
        await (await api.PostAsJsonAsync($"/api/v1/people/{personId}/owner", new { userId = ownerId, teamId })).EnsureSuccessWithBodyAsync();

    public static async Task LogAsync(this HttpClient api, long personId, string type, DateTimeOffset? occurredAt = null) =>
        await (await api.PostAsJsonAsync($"/api/v1/people/{personId}/activities", new { type, occurredAt })).EnsureSuccessWithBodyAsync();

    public static async Task<JsonElement> ClocksAsync(this HttpClient api, long personId, string state = "all") =>
        await api.GetJsonAsync($"/api/v1/sla/clocks?personId={personId}&state={state}");

    public static JsonElement Kind(this JsonElement clocks, string kind) =>
        clocks.EnumerateArray().Single(k => k.GetProperty("kind").GetString() == kind);

    public static Task<SlaTickResult> TickAsync(this TandemServer server) => server.Services.GetRequiredService<SlaTicker>().TickAsync();

    public static async Task<IReadOnlyList<(string Event, long UserId, long PersonId)>> NotificationsAsync(this Database db) =>
        (await db.ReadAsync(c => c.QueryAsync<(string, long, long)>("SELECT event, user_id, person_id FROM notifications ORDER BY id"))).ToList();

    public static DateTimeOffset Instant(this JsonElement e, string property) => e.GetProperty(property).GetDateTimeOffset();
}

/// <summary>
/// Stands in for routing's reassignment in these tests: gives the lead to the next member of its team (by id) who does
/// not have it, and announces it like routing does, so the SLA module sees an ordinary assignment.
/// </summary>
internal sealed class NextTeamMemberReassigner(AssignOwner assignOwner, TimeProvider clock) : IReassignLeads
{
    public static void Register(IServiceCollection services)
    {
        foreach (var d in services.Where(d => d.ServiceType == typeof(IReassignLeads)).ToList()) services.Remove(d);
        services.AddSingleton<IReassignLeads, NextTeamMemberReassigner>();
    }

    public async Task<long?> ReassignAsync(DbConnection c, DbTransaction tx, long personId, long excludeUserId, string why, Actor actor)
    {
        var team = await c.ExecuteScalarAsync<long?>("SELECT owner_team_id FROM people WHERE id = @personId", new { personId }, tx);
        var next = await c.ExecuteScalarAsync<long?>(
            "SELECT user_id FROM team_members WHERE team_id = @team AND user_id > @excludeUserId ORDER BY user_id LIMIT 1", new { team, excludeUserId }, tx);
        if (next is null) return null;
        var person = (await PersonStore.FindAsync(c, tx, personId, forUpdate: true))!;
        await assignOwner.AssignAsync(c, tx, person, new OwnerChange(next.Value, team, "reassign", $"{why}; next team member", actor,
            clock.GetUtcNow().ToUnixTimeMilliseconds()));
        return next;
    }
}

/// <summary>Assigns every new MQL to one rep as a consequence of the stage change, the way routing does.</summary>
/// <remarks>The rep is read when a lead qualifies, not when the handler is made: handlers are built at start-up, before tests seed reps.</remarks>
internal sealed class AssignOnMql(AssignOwner assignOwner, Func<long> rep) : IPersonEventHandler
{
    public async Task OnStageChangedAsync(DbConnection c, DbTransaction tx, StageChanged e)
    {
        if (e.To != Stage.MQL) return;
        var person = (await PersonStore.FindAsync(c, tx, e.PersonId, forUpdate: true))!;
        await assignOwner.AssignAsync(c, tx, person, new OwnerChange(rep(), null, "mql", "test routing", Actor.Rule("routing", "test routing"),
            person.StageChangedAt));
    }
}

/// <summary>Reassignment that never finds anyone else: the lead stays with the rep who breached, and the manager hears of it.</summary>
internal sealed class NobodyElse : IReassignLeads
{
    public Task<long?> ReassignAsync(DbConnection c, DbTransaction tx, long personId, long excludeUserId, string why, Actor actor) =>
        Task.FromResult<long?>(null);
}
