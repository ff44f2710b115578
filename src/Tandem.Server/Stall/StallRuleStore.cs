using System.Data.Common;
using Dapper;
using Tandem.Domain.Stall;
using Tandem.Server.Storage;

namespace Tandem.Server.Stall;

/// <summary>One stored version of the stall rules: the newest unpublished one is the draft.</summary>
internal sealed class StallRuleVersionRow
{
    public long Version { get; set; }
    public string Definition { get; set; } = "{}";
    public long CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public long? PublishedAt { get; set; }
    public string? PublishedBy { get; set; }

    public StallRuleSet Parse() => StallRuleParser.Parse(Definition).Set ?? StallRuleSet.Empty;
}

/// <summary>
/// Stall rules kept as versions, like the scoring model: a draft is edited and previewed, publishing makes it the set
/// the sweep uses, and every stall record names the version and the rule (by key) that found it.
/// </summary>
internal static class StallRuleStore
{
    public static Task<StallRuleVersionRow?> PublishedAsync(DbConnection c, DbTransaction? tx) =>
        c.QueryFirstOrDefaultAsync<StallRuleVersionRow>(
            "SELECT * FROM stall_rule_versions WHERE published_at IS NOT NULL ORDER BY version DESC LIMIT 1", transaction: tx);

    /// <summary>The draft: the newest version not yet published, if any.</summary>
    public static Task<StallRuleVersionRow?> DraftAsync(DbConnection c, DbTransaction? tx) =>
        c.QueryFirstOrDefaultAsync<StallRuleVersionRow>(
            "SELECT * FROM stall_rule_versions WHERE published_at IS NULL AND version > COALESCE((SELECT MAX(version) FROM stall_rule_versions " +
            "WHERE published_at IS NOT NULL), 0) ORDER BY version DESC LIMIT 1", transaction: tx);

    public static async Task<IReadOnlyList<StallRuleVersionRow>> VersionsAsync(DbConnection c) =>
        (await c.QueryAsync<StallRuleVersionRow>("SELECT * FROM stall_rule_versions ORDER BY version DESC")).ToList();

    /// <summary>The published rules with their version (0 and no rules before anything is published).</summary>
    public static async Task<(long Version, StallRuleSet Set)> CurrentAsync(DbConnection c, DbTransaction? tx) =>
        await PublishedAsync(c, tx) is { } row ? (row.Version, row.Parse()) : (0, StallRuleSet.Empty);

    /// <summary>Saves the draft (a new version after the published one, or the existing draft rewritten).</summary>
    public static async Task<StallRuleVersionRow> SaveDraftAsync(DbConnection c, DbTransaction tx, StallRuleSet set, string by, long now)
    {
        var definition = Json.Write(StallRuleParser.Write(set));
        if (await DraftAsync(c, tx) is { } draft)
        {
            await c.ExecuteAsync("UPDATE stall_rule_versions SET definition = @definition, created_at = @now, created_by = @by WHERE version = @Version",
                new { definition, now, by, draft.Version }, tx);
            return (await c.QuerySingleAsync<StallRuleVersionRow>("SELECT * FROM stall_rule_versions WHERE version = @Version", draft, tx));
        }
        var version = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) + 1 FROM stall_rule_versions", transaction: tx);
        await c.ExecuteAsync("INSERT INTO stall_rule_versions (version, definition, created_at, created_by) VALUES (@version, @definition, @now, @by)",
            new { version, definition, now, by }, tx);
        return await c.QuerySingleAsync<StallRuleVersionRow>("SELECT * FROM stall_rule_versions WHERE version = @version", new { version }, tx);
    }

    /// <summary>Publishes the draft; null when there is none.</summary>
    public static async Task<StallRuleVersionRow?> PublishAsync(DbConnection c, DbTransaction tx, string by, long now)
    {
        if (await DraftAsync(c, tx) is not { } draft) return null;
        await c.ExecuteAsync("UPDATE stall_rule_versions SET published_at = @now, published_by = @by WHERE version = @Version", new { now, by, draft.Version }, tx);
        return await c.QuerySingleAsync<StallRuleVersionRow>("SELECT * FROM stall_rule_versions WHERE version = @Version", draft, tx);
    }

    /// <summary>The ids a rule set names that do not exist (programs, calendars, teams, the SLA policy), as field problems.</summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> MissingReferencesAsync(DbConnection c, DbTransaction? tx, StallRuleSet set)
    {
        var problems = new Dictionary<string, string[]>();
        async Task<bool> Exists(string table, long id) =>
            await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE id = @id", new { id }, tx) > 0;
        if (set.RevivedSlaPolicyId is { } policy && !await Exists("sla_policies", policy))
            problems["revivedSlaPolicyId"] = [$"There is no SLA policy {policy}."];
        for (var i = 0; i < set.Rules.Count; i++)
        {
            var r = set.Rules[i];
            if (r.RevivalProgramId is { } program && !await Exists("nurture_programs", program))
                problems[$"rules[{i}].revivalProgramId"] = [$"There is no nurture program {program}."];
            if (r.CalendarId is { } calendar && !await Exists("sla_calendars", calendar))
                problems[$"rules[{i}].calendarId"] = [$"There is no calendar {calendar}."];
            foreach (var team in r.Segment.TeamIds)
                if (!await Exists("teams", team)) problems[$"rules[{i}].segment.teamIds"] = [$"There is no team {team}."];
        }
        return problems;
    }
}
