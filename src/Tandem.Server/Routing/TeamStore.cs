using System.Data.Common;
using Dapper;
using Tandem.Domain.Routing;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

internal sealed record TeamRow(long Id, string Name, long? ManagerUserId, long? FallbackUserId, long CreatedAt);

/// <summary>Teams with their members, and each team's round-robin rotation.</summary>
internal static class TeamStore
{
    public static Task<TeamRow?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<TeamRow>("SELECT id, name, manager_user_id, fallback_user_id, created_at FROM teams WHERE id = @id", new { id }, tx);

    public static async Task<IReadOnlyList<long>> MemberIdsAsync(DbConnection c, DbTransaction? tx, long teamId) =>
        (await c.QueryAsync<long>("SELECT user_id FROM team_members WHERE team_id = @teamId ORDER BY user_id", new { teamId }, tx)).ToList();

    /// <summary>The team as routing sees it now, with every member's availability and load.</summary>
    public static async Task<Team> LoadForRoutingAsync(DbConnection c, DbTransaction tx, TeamRow team, DateTimeOffset now)
    {
        var members = await RepStore.LoadAsync(c, tx, await MemberIdsAsync(c, tx, team.Id), now);
        (string Name, long Active)? fallback = team.FallbackUserId is { } f
            ? await c.QuerySingleOrDefaultAsync<(string, long)>("SELECT name, active FROM users WHERE id = @f", new { f }, tx)
            : null;
        return new Team(team.Id, team.Name, members, team.FallbackUserId, fallback?.Name, fallback?.Active != 0);
    }

    /// <summary>
    /// Reads the team's rotation and holds it until the transaction ends, so two leads routed at the same moment
    /// take turns instead of both landing on the same rep: PostgreSQL locks the pointer row (SELECT … FOR UPDATE);
    /// SQLite has one writer at a time, so the transaction already holds the database.
    /// </summary>
    public static async Task<RotationState> LockRotationAsync(DbConnection c, DbTransaction tx, long teamId, long now, bool withCredits)
    {
        var select = "SELECT team_id AS TeamId, last_user_id AS LastUserId FROM routing_pointers WHERE team_id = @teamId" +
                     SqlDialect.Of(c).ForUpdate;
        var pointer = await c.QuerySingleOrDefaultAsync<(long TeamId, long? LastUserId)?>(select, new { teamId }, tx);
        if (pointer is null)
        {
            // The team's first lead: create the row (a concurrent first lead waits here, then finds it), then lock it.
            await c.ExecuteAsync(
                "INSERT INTO routing_pointers (team_id, last_user_id, turns, updated_at) VALUES (@teamId, NULL, 0, @now) ON CONFLICT (team_id) DO NOTHING",
                new { teamId, now }, tx);
            pointer = await c.QuerySingleAsync<(long TeamId, long? LastUserId)>(select, new { teamId }, tx);
        }
        var credits = withCredits
            ? (await c.QueryAsync<(long UserId, long Credit)>("SELECT user_id, credit FROM routing_credits WHERE team_id = @teamId", new { teamId }, tx))
                .ToDictionary(r => r.UserId, r => (int)r.Credit)
            : new Dictionary<long, int>();
        return new RotationState(pointer.Value.LastUserId, credits);
    }

    public static async Task SaveRotationAsync(DbConnection c, DbTransaction tx, long teamId, RotationState before, RotationState after, long now)
    {
        await c.ExecuteAsync("UPDATE routing_pointers SET last_user_id = @LastUserId, turns = turns + 1, updated_at = @now WHERE team_id = @teamId",
            new { after.LastUserId, now, teamId }, tx);
        foreach (var (userId, credit) in after.Credits)
            if (!before.Credits.TryGetValue(userId, out var old) || old != credit)
                await c.ExecuteAsync(
                    "INSERT INTO routing_credits (team_id, user_id, credit) VALUES (@teamId, @userId, @credit) " +
                    "ON CONFLICT (team_id, user_id) DO UPDATE SET credit = excluded.credit", new { teamId, userId, credit }, tx);
    }
}
