using System.Data.Common;
using Dapper;
using Tandem.Server.Users;

namespace Tandem.Server.Demo;

/// <summary>
/// The demo workspace's people who sign in: one of each role, plus two sales teams of reps.
/// They share one demo password, printed at start and listed in the README; it exists only in demo workspaces.
/// </summary>
internal static class DemoUsers
{
    public const string Password = "tandem-demo";

    public sealed record DemoUser(string Email, string Name, string Role, string? Team);

    public static readonly IReadOnlyList<DemoUser> All =
    [
        new("admin@lumen.example", "Avery Admin", Roles.Admin, null),
        new("maya@lumen.example", "Maya Marketing", Roles.Marketing, null),
        new("sam@lumen.example", "Sam Manager", Roles.SalesManager, null),
        new("riley@lumen.example", "Riley Rep", Roles.SalesRep, "Inbound SDR"),
        new("jordan@lumen.example", "Jordan Rep", Roles.SalesRep, "Inbound SDR"),
        new("casey@lumen.example", "Casey Rep", Roles.SalesRep, "Inbound SDR"),
        new("ana@lumen.example", "Ana EMEA", Roles.SalesRep, "EMEA SDR"),
        new("ben@lumen.example", "Ben EMEA", Roles.SalesRep, "EMEA SDR"),
    ];

    /// <summary>Creates the users and teams (Sam manages both; the first rep of a team is its fallback owner).</summary>
    public static async Task SeedAsync(DbConnection c, DbTransaction tx, long now)
    {
        var ids = new Dictionary<string, long>();
        foreach (var u in All) ids[u.Email] = (await UserStore.EnsureAsync(c, tx, u.Email, u.Name, u.Role, Password, now)).Id;
        var manager = ids["sam@lumen.example"];
        foreach (var team in All.Where(u => u.Team is not null).GroupBy(u => u.Team!))
        {
            var teamId = await c.ExecuteScalarAsync<long>(
                "INSERT INTO teams (name, manager_user_id, fallback_user_id, created_at) VALUES (@name, @manager, @fallback, @now) RETURNING id",
                new { name = team.Key, manager, fallback = ids[team.First().Email], now }, tx);
            foreach (var member in team)
                await c.ExecuteAsync("INSERT INTO team_members (team_id, user_id, created_at) VALUES (@teamId, @userId, @now)",
                    new { teamId, userId = ids[member.Email], now }, tx);
        }
    }
}
