using System.Data.Common;
using Dapper;
using Tandem.Server.Activities;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Demo;

/// <summary>
/// Gives the demo's qualified leads to the demo reps, as routing would have at the moment each became an MQL,
/// and records the first call reps made on the leads they went on to accept — so every role's inbox, list and
/// "MQLs never touched" have something real in them. MQLs older than three weeks that sales never accepted are
/// left without an owner: the leads that fell through the cracks, as the home page shows.
/// </summary>
internal static class DemoOwners
{
    public static async Task AssignAsync(DbConnection c, DbTransaction tx, AssignOwner assignOwner, long now)
    {
        var reps = (await c.QueryAsync<(long Id, string Name, long TeamId)>(
            "SELECT u.id, u.name, tm.team_id FROM users u JOIN team_members tm ON tm.user_id = u.id WHERE u.role = @rep ORDER BY u.id",
            new { rep = Roles.SalesRep }, tx)).ToList();
        if (reps.Count == 0) return;
        var mqls = (await c.QueryAsync<(long PersonId, long At)>(
            "SELECT person_id, MIN(changed_at) FROM stage_changes WHERE to_stage = 'MQL' GROUP BY person_id ORDER BY person_id", transaction: tx)).ToList();
        var accepted = (await c.QueryAsync<(long PersonId, long At)>(
            "SELECT person_id, MIN(changed_at) FROM stage_changes WHERE to_stage = 'SAL' GROUP BY person_id", transaction: tx)).ToDictionary(a => a.PersonId, a => a.At);
        var rejected = (await c.QueryAsync<long>(
            "SELECT DISTINCT person_id FROM stage_changes WHERE to_stage IN ('Recycled', 'Disqualified')", transaction: tx)).ToHashSet();
        var random = new Random(6);
        var recent = now - 21L * 24 * 60 * 60 * 1000;
        var assigned = 0;
        foreach (var (personId, at) in mqls)
        {
            if (at < recent && !accepted.ContainsKey(personId) && !rejected.Contains(personId)) continue;
            var rep = reps[assigned % reps.Count];
            // Leads the demo's SLA history already gave to a rep keep theirs.
            var person = await PersonStore.FindAsync(c, tx, personId);
            if (person is null || person.OwnerId is not null) continue;
            assigned++;
            await assignOwner.AssignAsync(c, tx, person, DemoRouting.RoundRobin(rep.Id, rep.Name, rep.TeamId, at));
            if (accepted.TryGetValue(personId, out var acceptedAt))
            {
                var callAt = at + (long)(random.NextDouble() * Math.Max(1, acceptedAt - at));
                await ActivityStore.AppendAsync(c, tx, new NewActivity(personId, null, "call", callAt, callAt, ActivitySources.Api,
                    Json.Write(new { outcome = "connected", subject = "Intro call", notes = "Discussed their data reliability goals.", by = rep.Name })));
            }
            else if (rejected.Contains(personId))
            {
                // Rejections follow an attempt: the demo sales team rejected these within a day of trying.
                var callAt = at + (long)(random.NextDouble() * 20 * 60 * 60 * 1000);
                await ActivityStore.AppendAsync(c, tx, new NewActivity(personId, null, "call", callAt, callAt, ActivitySources.Api,
                    Json.Write(new { outcome = "no-answer", subject = "First attempt", by = rep.Name })));
            }
        }
    }
}
