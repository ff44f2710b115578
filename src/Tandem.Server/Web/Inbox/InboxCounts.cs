using System.Data.Common;
using Dapper;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.Inbox;

/// <summary>
/// How many of the inbox's open leads fall in each combination of the filters' values (stage × source × overdue ×
/// revived), read in one grouped query. Every number the page shows — the total and each chip's count — is a sum
/// of these cells, so a chip says exactly how many leads clicking it lists.
/// </summary>
internal sealed class InboxCounts(IReadOnlyList<InboxCounts.Cell> cells)
{
    public sealed record Cell(string Stage, string? Source, long Overdue, long Revived, long Leads);

    public IReadOnlyList<Cell> Cells => cells;

    /// <summary>The leads a view lists.</summary>
    public long Count(InboxFilter filter) => cells.Where(filter.Holds).Sum(c => c.Leads);

    /// <summary>The first-touch channels the inbox's leads came from, most leads first, for the source chips.</summary>
    public IReadOnlyList<string> Sources => cells.Where(c => c.Source is not null).GroupBy(c => c.Source!)
        .OrderByDescending(g => g.Sum(c => c.Leads)).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();

    /// <param name="now">Where "overdue" starts: the same instant the page's list is read at.</param>
    public static async Task<InboxCounts> ReadAsync(DbConnection c, LeadScope scope, DateTimeOffset now)
    {
        var args = new DynamicParameters(new { now = now.ToUnixTimeMilliseconds() });
        scope.AddTo(args);
        var sql =
            "SELECT p.stage, p.first_touch_channel AS source, " +
            "CASE WHEN k.due_at <= @now THEN 1 ELSE 0 END AS overdue, CASE WHEN sr.id IS NULL THEN 0 ELSE 1 END AS revived, COUNT(*) AS leads " +
            InboxQuery.OpenLeads +
            $"WHERE {InboxQuery.InScope(scope)} GROUP BY 1, 2, 3, 4";
        var rows = await c.QueryAsync<CellRow>(sql, args);
        return new InboxCounts(rows.Select(r => new Cell(r.Stage, r.Source, r.Overdue, r.Revived, r.Leads)).ToList());
    }

    // Settable properties rather than a tuple: the engines answer the flags and counts in different integer types.
    private sealed class CellRow
    {
        public string Stage { get; set; } = "";
        public string? Source { get; set; }
        public long Overdue { get; set; }
        public long Revived { get; set; }
        public long Leads { get; set; }
    }
}
