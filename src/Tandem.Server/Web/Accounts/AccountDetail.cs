using System.Data.Common;
using Dapper;
using Tandem.Server.Accounts;
using Tandem.Server.Activities;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.Accounts;

/// <summary>
/// What the account page shows beyond the account's sums: its people (those the viewer may see), recent activity
/// across them, and the hand-offs waiting on sales with the next service-level deadline of each.
/// </summary>
internal static class AccountDetail
{
    /// <summary>The page lists this many people, most engaged first, and links to the people list for the rest.</summary>
    public const int PeopleShown = 200;

    public const int ActivityShown = 30;

    public sealed class PersonLine
    {
        public long Id { get; set; }
        public string? Email { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Title { get; set; }
        public string? Country { get; set; }
        public string Stage { get; set; } = "";
        public string? FitGrade { get; set; }
        public string? ScoreCell { get; set; }
        public long? EngagementScore { get; set; }
        public string? OwnerName { get; set; }
        public long? NextDueAt { get; set; }
        public string? NextDueKind { get; set; }

        public string DisplayName => $"{FirstName} {LastName}".Trim() is { Length: > 0 } n ? n : Email ?? $"Person {Id}";
    }

    /// <summary>An activity with the name of the person it is about.</summary>
    public sealed record ActivityLine(ActivityRow Activity, long PersonId, string PersonName);

    private sealed class ActivityWithPerson
    {
        public long Id { get; set; }
        public long PersonId { get; set; }
        public string Type { get; set; } = "";
        public string Source { get; set; } = "";
        public string Properties { get; set; } = "{}";
        public long OccurredAt { get; set; }
        public string? Email { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
    }

    private const string Live = "p.account_id = @accountId AND p.merged_into_id IS NULL AND p.erased_at IS NULL";

    /// <summary>The account's people the viewer may see, most engaged first, with the next open SLA deadline of each.</summary>
    public static Task<IReadOnlyList<PersonLine>> PeopleAsync(DbConnection c, long accountId, LeadScope scope) =>
        PeopleWhereAsync(c, accountId, scope, "1 = 1", "COALESCE(p.engagement_score, -1) DESC, p.id", PeopleShown);

    /// <summary>
    /// The account's open hand-offs: people in MQL or SAL waiting on sales' decision, the soonest deadline first
    /// (overdue at the top), then the longest waiting. All of them, whatever the people list shows.
    /// </summary>
    public static Task<IReadOnlyList<PersonLine>> HandoffsAsync(DbConnection c, long accountId, LeadScope scope) =>
        PeopleWhereAsync(c, accountId, scope, "p.stage IN ('MQL', 'SAL')", "k.due_at IS NULL, k.due_at, p.stage_changed_at, p.id", take: null);

    private static async Task<IReadOnlyList<PersonLine>> PeopleWhereAsync(DbConnection c, long accountId, LeadScope scope, string condition,
        string orderBy, int? take)
    {
        var args = new DynamicParameters(new { accountId, take });
        scope.AddTo(args);
        return (await c.QueryAsync<PersonLine>(
            "SELECT p.id, p.email, p.first_name, p.last_name, p.title, p.country, p.stage, p.fit_grade, p.score_cell, p.engagement_score, " +
            "u.name AS owner_name, k.due_at AS next_due_at, k.kind AS next_due_kind " +
            "FROM people p LEFT JOIN users u ON u.id = p.owner_id " +
            // As in the inbox: the soonest open clock of the lead's current assignment (a breached one stays open: overdue).
            "LEFT JOIN sla_clocks k ON k.id = (SELECT k2.id FROM sla_clocks k2 WHERE k2.person_id = p.id AND k2.stopped_at IS NULL " +
            "AND k2.released_at IS NULL ORDER BY k2.due_at, k2.id LIMIT 1) " +
            $"WHERE {Live} AND {condition} AND {scope.Condition} ORDER BY {orderBy}" + (take is null ? "" : " LIMIT @take"), args)).ToList();
    }

    /// <summary>The latest activity of any of the account's people the viewer may see, newest first.</summary>
    public static async Task<IReadOnlyList<ActivityLine>> ActivityAsync(DbConnection c, long accountId, LeadScope scope)
    {
        var args = new DynamicParameters(new { accountId, take = ActivityShown });
        scope.AddTo(args);
        var rows = await c.QueryAsync<ActivityWithPerson>(
            "SELECT act.id, act.person_id, act.type, act.source, act.properties, act.occurred_at, p.email, p.first_name, p.last_name " +
            "FROM activities act JOIN people p ON p.id = act.person_id " +
            $"WHERE {Live} AND {scope.Condition} ORDER BY act.occurred_at DESC, act.id DESC LIMIT @take", args);
        return rows.Select(r => new ActivityLine(
            new ActivityRow { Id = r.Id, PersonId = r.PersonId, Type = r.Type, Source = r.Source, Properties = r.Properties, OccurredAt = r.OccurredAt },
            r.PersonId, $"{r.FirstName} {r.LastName}".Trim() is { Length: > 0 } n ? n : r.Email ?? $"Person {r.PersonId}")).ToList();
    }

    /// <summary>The countries of the account's people the viewer may see.</summary>
    public static async Task<IReadOnlyList<string>> CountriesAsync(DbConnection c, long accountId, LeadScope scope)
    {
        var args = new DynamicParameters(new { accountId });
        scope.AddTo(args);
        return (await c.QueryAsync<string>(
            $"SELECT DISTINCT p.country FROM people p WHERE {Live} AND p.country IS NOT NULL AND {scope.Condition} ORDER BY p.country", args)).ToList();
    }

    /// <summary>The viewer's accounts as <see cref="AccountList"/> reads them: through the leads they may see.</summary>
    public static AccountViewer Viewer(LeadScope scope) => new(scope.Condition, scope.AddTo, scope.SeesEveryone);
}
