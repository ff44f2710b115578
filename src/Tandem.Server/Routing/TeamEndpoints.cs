using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Data.Common;
using Tandem.Server.Audit;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>Sales teams (routing queues): members, a manager who hears about every assignment, a fallback owner.</summary>
internal static class TeamEndpoints
{
    public sealed record TeamInput(string? Name, long? ManagerUserId, long? FallbackUserId, List<long>? MemberUserIds);

    public sealed record MemberDto(long UserId, string Name, string Email);

    public sealed record TeamDto(long Id, string Name, long? ManagerUserId, long? FallbackUserId, IReadOnlyList<MemberDto> Members, long? LastAssignedUserId);

    public static async Task<Ok<IReadOnlyList<TeamDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok(await db.ReadAsync(async c =>
        {
            var teams = await c.QueryAsync<TeamRow>("SELECT id, name, manager_user_id, fallback_user_id, created_at FROM teams ORDER BY name");
            var list = new List<TeamDto>();
            foreach (var t in teams) list.Add(await ToDtoAsync(c, null, t));
            return (IReadOnlyList<TeamDto>)list;
        }, ct));

    public static async Task<Results<Created<TeamDto>, ValidationProblem, ProblemHttpResult>> Create(TeamInput input, Database db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await db.WriteAsync<(TeamDto? Dto, ValidationProblem? Problem)>(async (c, tx) =>
        {
            if (await ValidateAsync(c, tx, input, null) is { } problem) return (null, problem);
            var id = await c.QuerySingleOrDefaultAsync<long?>(
                "INSERT INTO teams (name, manager_user_id, fallback_user_id, created_at) VALUES (@name, @ManagerUserId, @FallbackUserId, @now) " +
                "ON CONFLICT (name) DO NOTHING RETURNING id", new { name = input.Name!.Trim(), input.ManagerUserId, input.FallbackUserId, now }, tx);
            if (id is null) return (null, null);
            await SetMembersAsync(c, tx, id.Value, input.MemberUserIds ?? [], now);
            await AuditLog.WriteAsync(c, tx, now, "settings.routing.team_created", $"team {id}", input);
            return (await ToDtoAsync(c, tx, (await TeamStore.FindAsync(c, tx, id.Value))!), null);
        }, ct);
        if (result.Problem is { } p) return p;
        if (result.Dto is null) return Problems.Conflict("Team exists.", $"A team is already named '{input.Name!.Trim()}'.");
        return TypedResults.Created($"/api/v1/routing/teams/{result.Dto.Id}", result.Dto);
    }

    /// <summary>Replaces the team's settings and members. The rotation is kept: a member who stays keeps their place in the cycle.</summary>
    public static async Task<Results<Ok<TeamDto>, ValidationProblem, ProblemHttpResult>> Replace(long id, TeamInput input, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await db.WriteAsync<(bool Found, TeamDto? Dto, ValidationProblem? Problem)>(async (c, tx) =>
        {
            if (await TeamStore.FindAsync(c, tx, id) is null) return (false, null, null);
            if (await ValidateAsync(c, tx, input, id) is { } problem) return (true, null, problem);
            await c.ExecuteAsync("UPDATE teams SET name = @name, manager_user_id = @ManagerUserId, fallback_user_id = @FallbackUserId WHERE id = @id",
                new { name = input.Name!.Trim(), input.ManagerUserId, input.FallbackUserId, id }, tx);
            await c.ExecuteAsync("DELETE FROM team_members WHERE team_id = @id", new { id }, tx);
            await SetMembersAsync(c, tx, id, input.MemberUserIds ?? [], now);
            await AuditLog.WriteAsync(c, tx, now, "settings.routing.team_changed", $"team {id}", input);
            return (true, await ToDtoAsync(c, tx, (await TeamStore.FindAsync(c, tx, id))!), null);
        }, ct);
        if (!result.Found) return Problems.NotFound("Team", id);
        if (result.Problem is { } p) return p;
        return TypedResults.Ok(result.Dto!);
    }

    private static async Task SetMembersAsync(DbConnection c, DbTransaction tx, long teamId, IEnumerable<long> userIds, long now)
    {
        foreach (var userId in userIds.Distinct())
            await c.ExecuteAsync("INSERT INTO team_members (team_id, user_id, created_at) VALUES (@teamId, @userId, @now)", new { teamId, userId, now }, tx);
    }

    private static async Task<ValidationProblem?> ValidateAsync(DbConnection c, DbTransaction tx, TeamInput input, long? id)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(input.Name)) v.Add("name", "A team name is required.");
        else if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE name = @name AND id <> @id",
                     new { name = input.Name.Trim(), id = id ?? 0 }, tx) > 0) v.Add("name", $"A team is already named '{input.Name.Trim()}'.");
        if (input.ManagerUserId is { } m && await Users.UserStore.FindAsync(c, tx, m) is null) v.Add("managerUserId", $"No user has id {m}.");
        if (input.FallbackUserId is { } f && await Users.UserStore.FindAsync(c, tx, f) is null) v.Add("fallbackUserId", $"No user has id {f}.");
        var members = input.MemberUserIds ?? [];
        for (var i = 0; i < members.Count; i++)
            if (await Users.UserStore.FindAsync(c, tx, members[i]) is null) v.Add($"memberUserIds[{i}]", $"No user has id {members[i]}.");
        return v.IsValid ? null : v.ToProblem();
    }

    private static async Task<TeamDto> ToDtoAsync(DbConnection c, DbTransaction? tx, TeamRow t)
    {
        var members = (await c.QueryAsync<MemberDto>(
            "SELECT u.id AS UserId, u.name AS Name, u.email AS Email FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = @Id ORDER BY u.id",
            new { t.Id }, tx)).ToList();
        var last = await c.QuerySingleOrDefaultAsync<long?>("SELECT last_user_id FROM routing_pointers WHERE team_id = @Id", new { t.Id }, tx);
        return new TeamDto(t.Id, t.Name, t.ManagerUserId, t.FallbackUserId, members, last);
    }
}
