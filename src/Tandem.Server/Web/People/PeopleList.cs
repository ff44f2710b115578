using System.Data.Common;
using Dapper;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.People;

/// <summary>One row of the people list, with the owner's and account's names joined in.</summary>
internal sealed class PeopleListRow
{
    public long Id { get; set; }
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Company { get; set; }
    public string? Title { get; set; }
    public string? Country { get; set; }
    public string Stage { get; set; } = "";
    public long StageChangedAt { get; set; }
    public string? FitGrade { get; set; }
    public long? EngagementScore { get; set; }
    public string? ScoreCell { get; set; }
    public string Personas { get; set; } = "[]";
    public string? FirstTouchChannel { get; set; }
    public long? OwnerId { get; set; }
    public string? OwnerName { get; set; }
    public string? AccountName { get; set; }
    public long CreatedAt { get; set; }

    public string DisplayName => $"{FirstName} {LastName}".Trim() is { Length: > 0 } n ? n : Email ?? $"Person {Id}";
    public IReadOnlyList<string> PersonaNames => Json.Read(Personas, new List<string>());
}

/// <summary>Reads the people list for a filter within a user's scope: a page for the screen, or everything for an export.</summary>
internal static class PeopleList
{
    public const int PageSize = 50;

    private const string Select =
        "SELECT p.id, p.email, p.first_name, p.last_name, p.company, p.title, p.country, p.stage, p.stage_changed_at, p.fit_grade, " +
        "p.engagement_score, p.score_cell, p.personas, p.first_touch_channel, p.owner_id, u.name AS owner_name, a.name AS account_name, p.created_at " +
        "FROM people p LEFT JOIN users u ON u.id = p.owner_id LEFT JOIN accounts a ON a.id = p.account_id";

    /// <param name="orderBy">One of <see cref="PeopleListAddress.Sorts"/>' orders: SQL text, so never text from the request.</param>
    public static async Task<(IReadOnlyList<PeopleListRow> Rows, long Total)> PageAsync(
        DbConnection c, PeopleQuery query, LeadScope scope, string orderBy, int page)
    {
        var (where, args) = Where(c, query, scope);
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM people p WHERE {where}", args);
        args.Add("take", PageSize);
        args.Add("skip", (Math.Max(page, 1) - 1) * PageSize);
        var rows = await c.QueryAsync<PeopleListRow>($"{Select} WHERE {where} ORDER BY {orderBy} LIMIT @take OFFSET @skip", args);
        return (rows.ToList(), total);
    }

    /// <summary>Every matching row, streamed (unbuffered) so an export of a large list does not sit in memory.</summary>
    public static IAsyncEnumerable<PeopleListRow> AllAsync(DbConnection c, PeopleQuery query, LeadScope scope, string orderBy)
    {
        var (where, args) = Where(c, query, scope);
        return c.QueryUnbufferedAsync<PeopleListRow>($"{Select} WHERE {where} ORDER BY {orderBy}", args);
    }

    /// <summary>The query's people that the user may see.</summary>
    private static (string Where, DynamicParameters Args) Where(DbConnection c, PeopleQuery query, LeadScope scope)
    {
        var (where, args) = query.ToSql(SqlDialect.Of(c));
        scope.AddTo(args);
        return ($"{where} AND {scope.Condition}", args);
    }

    /// <summary>The choices the filter menus offer: sources and personas that occur, and the people who own leads.</summary>
    public static async Task<(IReadOnlyList<string> Sources, IReadOnlyList<string> Personas)> ChoicesAsync(DbConnection c)
    {
        var sources = (await c.QueryAsync<string>(
            "SELECT DISTINCT first_touch_channel FROM people WHERE first_touch_channel IS NOT NULL ORDER BY first_touch_channel")).ToList();
        // Distinct persona arrays are few (one per combination), so they are split here rather than in provider-specific JSON SQL.
        var personas = (await c.QueryAsync<string>("SELECT DISTINCT personas FROM people WHERE personas <> '[]'"))
            .SelectMany(json => Json.Read(json, new List<string>())).Distinct().Order().ToList();
        return (sources, personas);
    }
}
