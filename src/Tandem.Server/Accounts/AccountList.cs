using System.Data.Common;
using Dapper;

namespace Tandem.Server.Accounts;

/// <summary>One account with its people's engagement summed up: what the accounts list and the account page show.</summary>
internal sealed class AccountRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string? Domain { get; set; }
    public string? Industry { get; set; }
    public long? OwnerId { get; set; }
    public string? OwnerName { get; set; }
    public long CreatedAt { get; set; }
    public long People { get; set; }
    public long Engagement { get; set; }
    public long EngagedPeople { get; set; }
    public long QualifiedPeople { get; set; }
    public long OpenHandoffs { get; set; }
    public long? LastTouchAt { get; set; }
    public long Band { get; set; }

    public string? BuyingGroup => AccountEngagement.BuyingGroupText(EngagedPeople, QualifiedPeople);
}

/// <summary>
/// Which people of the accounts a viewer may see, as a condition over people aliased "p" with its parameters, and
/// whether accounts none of whose people they see are listed (yes for the workspace-wide view: an account with no
/// people yet is still an account; no for sales, who see accounts through their leads).
/// </summary>
internal sealed record AccountViewer(string PeopleCondition, Action<DynamicParameters> AddArgs, bool EveryAccount)
{
    public static readonly AccountViewer Workspace = new("1 = 1", _ => { }, EveryAccount: true);
}

/// <summary>
/// Reads accounts with their engagement in one set-based statement on either database: the viewer's live people are
/// grouped by account (count, summed engagement, engaged and qualified people, open hand-offs, last touch), joined to
/// the accounts, and filtered, sorted and paged on those sums — never a query per account or per person.
/// </summary>
internal static class AccountList
{
    public const int PageSize = 50;

    /// <summary>The orders offered; "-" first means descending. Every order ends on the id, so paging is stable.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sorts = new Dictionary<string, string>
    {
        ["-engagement"] = "x.engagement DESC, x.id DESC",
        ["engagement"] = "x.engagement, x.id",
        ["name"] = "LOWER(x.name), x.id",
        ["-name"] = "LOWER(x.name) DESC, x.id DESC",
        ["-people"] = "x.people DESC, x.id DESC",
        ["people"] = "x.people, x.id",
        ["-last_touch"] = "COALESCE(x.last_touch_at, 0) DESC, x.id DESC",
        ["last_touch"] = "COALESCE(x.last_touch_at, 0), x.id",
        ["-created"] = "x.created_at DESC, x.id DESC",
        ["created"] = "x.created_at, x.id",
    };

    public const string DefaultSort = "-engagement";

    /// <summary>
    /// The accounts with their sums, as a derived table "x" to select from. The sums cover only the people the
    /// viewer may see, so a rep's view of an account is the view through their own leads.
    /// </summary>
    private static string Source(AccountViewer viewer, AccountEngagement engagement, DynamicParameters args)
    {
        viewer.AddArgs(args);
        args.Add("engagedAt", (long)engagement.EngagedAt);
        var qualified = string.Join(", ", AccountEngagement.QualifiedStages.Select(s => $"'{s}'"));
        var handoff = string.Join(", ", AccountEngagement.HandoffStages.Select(s => $"'{s}'"));
        // PostgreSQL sums a BIGINT column to NUMERIC; the casts keep both databases answering whole numbers.
        var perAccount =
            "SELECT p.account_id, COUNT(*) AS people, " +
            "CAST(COALESCE(SUM(p.engagement_score), 0) AS BIGINT) AS engagement, " +
            "CAST(SUM(CASE WHEN p.engagement_score >= @engagedAt THEN 1 ELSE 0 END) AS BIGINT) AS engaged_people, " +
            $"CAST(SUM(CASE WHEN p.stage IN ({qualified}) THEN 1 ELSE 0 END) AS BIGINT) AS qualified_people, " +
            $"CAST(SUM(CASE WHEN p.stage IN ({handoff}) THEN 1 ELSE 0 END) AS BIGINT) AS open_handoffs, " +
            "MAX(p.last_touch_at) AS last_touch_at " +
            "FROM people p WHERE p.account_id IS NOT NULL AND p.merged_into_id IS NULL AND p.erased_at IS NULL " +
            $"AND {viewer.PeopleCondition} GROUP BY p.account_id";
        var band = engagement.BandSql("COALESCE(v.engagement, 0)", args);
        return
            "(SELECT a.id, a.name, a.domain, a.industry, a.owner_id, u.name AS owner_name, a.created_at, " +
            "COALESCE(v.people, 0) AS people, COALESCE(v.engagement, 0) AS engagement, COALESCE(v.engaged_people, 0) AS engaged_people, " +
            "COALESCE(v.qualified_people, 0) AS qualified_people, COALESCE(v.open_handoffs, 0) AS open_handoffs, v.last_touch_at, " +
            $"CAST({band} AS BIGINT) AS band " +
            $"FROM accounts a {(viewer.EveryAccount ? "LEFT JOIN" : "JOIN")} ({perAccount}) v ON v.account_id = a.id " +
            "LEFT JOIN users u ON u.id = a.owner_id) x";
    }

    /// <param name="orderBy">One of <see cref="Sorts"/>' values: SQL text, so never text from the request.</param>
    /// <param name="skip">How many matching accounts come before the page.</param>
    public static async Task<(IReadOnlyList<AccountRow> Rows, long Total)> PageAsync(DbConnection c, AccountQuery query, AccountViewer viewer,
        AccountEngagement engagement, string orderBy, int skip, int take)
    {
        var args = new DynamicParameters();
        var source = Source(viewer, engagement, args);
        var where = query.ToSql(args, viewer.PeopleCondition);
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {source} WHERE {where}", args);
        args.Add("take", take);
        args.Add("skip", Math.Max(skip, 0));
        var rows = await c.QueryAsync<AccountRow>($"SELECT * FROM {source} WHERE {where} ORDER BY {orderBy} LIMIT @take OFFSET @skip", args);
        return (rows.ToList(), total);
    }

    /// <summary>The account when the viewer may see it (sales: when they see someone at it); null otherwise.</summary>
    public static async Task<AccountRow?> FindAsync(DbConnection c, long id, AccountViewer viewer, AccountEngagement engagement)
    {
        var args = new DynamicParameters(new { accountId = id });
        var source = Source(viewer, engagement, args);
        return await c.QuerySingleOrDefaultAsync<AccountRow>($"SELECT * FROM {source} WHERE x.id = @accountId", args);
    }

    /// <summary>The industries and countries the filter menus offer: those of accounts and of people at an account.</summary>
    public static async Task<(IReadOnlyList<string> Industries, IReadOnlyList<string> Countries)> ChoicesAsync(DbConnection c)
    {
        var industries = await c.QueryAsync<string>(
            "SELECT industry FROM accounts WHERE industry IS NOT NULL UNION " +
            "SELECT industry FROM people WHERE account_id IS NOT NULL AND industry IS NOT NULL AND merged_into_id IS NULL");
        var countries = await c.QueryAsync<string>(
            "SELECT DISTINCT country FROM people WHERE account_id IS NOT NULL AND country IS NOT NULL AND merged_into_id IS NULL");
        // Case differences ("germany", "Germany") are one choice: the filters compare without case.
        static IReadOnlyList<string> Tidy(IEnumerable<string> values) => values.Select(v => v.Trim()).Where(v => v.Length > 0)
            .DistinctBy(v => v.ToLowerInvariant()).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return (Tidy(industries), Tidy(countries));
    }
}
