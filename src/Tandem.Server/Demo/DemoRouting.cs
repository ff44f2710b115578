using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Routing;
using Tandem.Server.Handoff;
using Tandem.Server.Routing;
using Tandem.Server.Storage;

namespace Tandem.Server.Demo;

/// <summary>
/// The demo workspace's routing: EMEA leads to the EMEA team, enterprise leads weighted toward the senior rep, everyone
/// else round robin to Inbound SDR; reps with time zones, working hours and capacity. Seeded before the demo's leads
/// qualify, so they are routed as they become MQLs. Afterwards the demo's sales history is recorded as dispositions
/// so the closed-loop report has something to show.
/// </summary>
internal static class DemoRouting
{
    public static async Task SeedRulesAsync(DbConnection c, DbTransaction tx, long now)
    {
        var users = (await c.QueryAsync<(long Id, string Email)>("SELECT id, email FROM users", transaction: tx)).ToDictionary(u => u.Email, u => u.Id);
        var teams = (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM teams", transaction: tx)).ToDictionary(t => t.Name, t => t.Id);
        if (!teams.TryGetValue("Inbound SDR", out var inbound) || !teams.TryGetValue("EMEA SDR", out var emea)) return;

        var weekdays = new Dictionary<string, string[]>
        {
            ["mon"] = ["08:00-18:00"], ["tue"] = ["08:00-18:00"], ["wed"] = ["08:00-18:00"], ["thu"] = ["08:00-18:00"], ["fri"] = ["08:00-17:00"],
        };
        (string Email, string Zone, int Weight)[] reps =
        [
            ("riley@lumen.example", "America/New_York", 2), ("jordan@lumen.example", "America/Chicago", 1),
            ("casey@lumen.example", "America/Los_Angeles", 1), ("ana@lumen.example", "Europe/Berlin", 1), ("ben@lumen.example", "Europe/London", 1),
        ];
        foreach (var (email, zone, weight) in reps)
            await c.ExecuteAsync(
                "INSERT INTO rep_profiles (user_id, time_zone, working_hours, capacity, daily_quota, weight, updated_at) " +
                "VALUES (@id, @zone, @hours, 600, NULL, @weight, @now) ON CONFLICT (user_id) DO NOTHING",
                new { id = users[email], zone, hours = Json.Write(weekdays), weight, now }, tx);

        (string Name, Condition[] Conditions, long Team, DistributionMethod Method)[] rules =
        [
            ("EMEA", [new Condition("region", ConditionOperator.Equals, ["EMEA"])], emea, DistributionMethod.RoundRobin),
            ("Enterprise", [new Condition("companySize", ConditionOperator.In, ["1001-5000", "5000+"])], inbound, DistributionMethod.WeightedRoundRobin),
            ("Everyone else", [], inbound, DistributionMethod.RoundRobin),
        ];
        for (var i = 0; i < rules.Length; i++)
            await RuleStore.InsertAsync(c, tx, new RuleRow
            {
                Position = (i + 1) * 10, Name = rules[i].Name, Conditions = Json.Write(rules[i].Conditions), TeamId = rules[i].Team,
                Method = rules[i].Method.ToString(), RespectWorkingHours = 0, Active = 1, CreatedAt = now, UpdatedAt = now,
            });
    }

    /// <summary>Turns the demo's stage history into the dispositions sales would have recorded along the way.</summary>
    /// <summary>The assignment routing made when a demo lead became an MQL: the team's round robin.</summary>
    public static OwnerChange RoundRobin(long repId, string repName, long teamId, long at) =>
        new(repId, teamId, LeadRouter.Triggers.Mql, $"round robin; chose {repName}", Actor.Rule("mql", "MQL definition"), at);

    public static async Task RecordDispositionsAsync(DbConnection c, DbTransaction tx)
    {
        var changes = await c.QueryAsync<ChangeRow>(
            "SELECT s.person_id, s.from_stage AS \"From\", s.to_stage AS \"To\", s.changed_at AS At, s.reason_code AS Reason, p.first_touch_channel AS Channel, " +
            "p.first_touch AS Touch, p.personas, p.owner_id AS Owner " +
            "FROM stage_changes s JOIN people p ON p.id = s.person_id WHERE s.from_stage IN ('MQL', 'SAL', 'SQL', 'Opportunity') ORDER BY s.id", transaction: tx);
        var random = new Random(20261201);
        foreach (var s in changes)
        {
            var kind = (s.From, s.To) switch
            {
                ("MQL", "SAL") => DispositionKinds.Accepted,
                ("MQL" or "SAL", "Recycled" or "Disqualified") => DispositionKinds.Rejected,
                (_, "SQL") => DispositionKinds.Qualified,
                (_, "Opportunity") => DispositionKinds.Opportunity,
                (_, "Customer") => DispositionKinds.Won,
                ("SQL" or "Opportunity", "Recycled" or "Disqualified") => DispositionKinds.Lost,
                _ => null,
            };
            if (kind is null) continue;
            long? cents = kind is DispositionKinds.Opportunity or DispositionKinds.Won ? random.Next(60, 900) * 10_000L : null;
            await c.ExecuteAsync(
                "INSERT INTO dispositions (person_id, kind, reason_code, note, amount_cents, owner_id, source_channel, campaign, personas, decided_at, " +
                "actor_type, actor_id, actor_name) VALUES (@PersonId, @kind, @Reason, NULL, @cents, @Owner, @Channel, @campaign, @Personas, @At, 'System', 'demo', 'demo')",
                new { s.PersonId, kind, s.Reason, cents, s.Owner, s.Channel, campaign = Json.Read<Tandem.Domain.Capture.Attribution?>(s.Touch, null)?.Campaign, s.Personas, s.At }, tx);
        }
    }

    private sealed class ChangeRow
    {
        public long PersonId { get; set; }
        public string? From { get; set; }
        public string To { get; set; } = "";
        public long At { get; set; }
        public string? Reason { get; set; }
        public string? Channel { get; set; }
        public string? Touch { get; set; }
        public string Personas { get; set; } = "[]";
        public long? Owner { get; set; }
    }
}
