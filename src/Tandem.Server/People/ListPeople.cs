using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>GET /api/v1/people: filter (see <see cref="PeopleQuery"/>), sort and page through people with a keyset cursor.</summary>
internal static class ListPeople
{
    /// <summary>How to order and page; the filters are read from the same query string by <see cref="PeopleQuery"/>.</summary>
    /// <remarks>Init properties rather than a positional record: the build-time request delegate generator emits
    /// <c>typeof(string?)</c> for a constructor's nullable parameters, which does not compile.</remarks>
    public sealed record Paging
    {
        public string? Sort { get; init; }
        public int? Limit { get; init; }
        public string? Cursor { get; init; }
    }

    // Sort keys map to expressions that are never null, so the keyset comparison is total.
    private static readonly Dictionary<string, (string Expr, bool IsText)> SortKeys = new()
    {
        ["createdAt"] = ("p.created_at", false),
        ["updatedAt"] = ("p.updated_at", false),
        ["lastName"] = ("COALESCE(p.last_name, '')", true),
        ["email"] = ("COALESCE(p.email, '')", true),
        // Millionths, a whole number (probabilities are stored to six places); -1 before any prediction.
        ["conversionProbability"] = ("COALESCE(CAST(ROUND(p.conversion_probability * 1000000) AS BIGINT), -1)", false),
    };

    public static async Task<Results<Ok<Page<PersonDto>>, ValidationProblem>> Handle(
        [AsParameters] Paging paging, HttpRequest request, Database db, CancellationToken ct)
    {
        var v = new Validation();
        var filter = PeopleQuery.Parse(name => request.Query[name], v);
        var (where, args) = filter.ToSql(db.Dialect);
        var sql = new StringBuilder($"SELECT p.* FROM people p WHERE {where}");

        var sortText = string.IsNullOrWhiteSpace(paging.Sort) ? "-createdAt" : paging.Sort.Trim();
        var descending = sortText.StartsWith('-');
        var sortName = sortText.TrimStart('-', '+');
        if (!SortKeys.TryGetValue(sortName, out var key))
            v.Add("sort", $"Cannot sort by '{sortName}'; use one of: {string.Join(", ", SortKeys.Keys)} (prefix '-' for descending).");

        var limit = paging.Limit ?? 50;
        if (limit is < 1 or > 500) v.Add("limit", "Must be between 1 and 500.");

        if (paging.Cursor is not null && v.IsValid)
        {
            var cursor = PageCursor.TryDecode(paging.Cursor);
            if (cursor is null || cursor.Sort != sortText) v.Add("cursor", "Not a cursor from this listing; start again without a cursor.");
            else
            {
                var op = descending ? "<" : ">";
                sql.Append($" AND ({key.Expr} {op} @cv OR ({key.Expr} = @cv AND p.id {op} @cid))");
                args.Add("cv", key.IsText ? cursor.Value.GetString() : cursor.Value.GetInt64());
                args.Add("cid", cursor.Id);
            }
        }
        if (!v.IsValid) return v.ToProblem();

        var dir = descending ? "DESC" : "ASC";
        sql.Append($" ORDER BY {key.Expr} {dir}, p.id {dir} LIMIT @take");
        args.Add("take", limit + 1);

        var page = await db.ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<PersonRow>(sql.ToString(), args)).ToList();
            var more = rows.Count > limit;
            if (more) rows.RemoveAt(rows.Count - 1);
            var items = await PersonDtos.LoadManyAsync(c, rows);
            string? next = null;
            if (more)
            {
                var last = rows[^1];
                object value = sortName switch
                {
                    "createdAt" => last.CreatedAt,
                    "updatedAt" => last.UpdatedAt,
                    "lastName" => last.LastName ?? "",
                    "conversionProbability" => last.ConversionProbability is { } cp ? (long)Math.Round(cp * 1_000_000) : -1L,
                    _ => last.Email ?? "",
                };
                next = PageCursor.For(sortText, value, last.Id).Encode();
            }
            return new Page<PersonDto>(items, next);
        }, ct);
        return TypedResults.Ok(page);
    }
}

internal static class PersonDtos
{
    /// <summary>Loads DTOs for a page of rows with one query per related table, not one per person.</summary>
    public static async Task<IReadOnlyList<PersonDto>> LoadManyAsync(System.Data.Common.DbConnection c, IReadOnlyList<PersonRow> rows)
    {
        if (rows.Count == 0) return [];
        var accountIds = rows.Where(r => r.AccountId is not null).Select(r => r.AccountId!.Value).Distinct().ToList();
        var accounts = accountIds.Count == 0
            ? new Dictionary<long, AccountSummaryDto>()
            : (await c.QueryAsync<AccountSummaryDto>($"SELECT id, name, domain FROM accounts WHERE {Sql.In(c, "id", "@accountIds")}", new { accountIds = accountIds.ToArray() }))
                .ToDictionary(a => a.Id);
        var ids = rows.Select(r => r.Id).ToArray();
        var externalIds = (await c.QueryAsync<(long PersonId, string Source, string ExternalId)>(
                $"SELECT person_id, source, external_id FROM person_external_ids WHERE {Sql.In(c, "person_id", "@ids")} ORDER BY source, external_id", new { ids }))
            .ToLookup(e => e.PersonId, e => new ExternalIdDto(e.Source, e.ExternalId));
        return rows.Select(r => PersonDto.From(r, r.AccountId is { } a && accounts.TryGetValue(a, out var acc) ? acc : null,
            externalIds[r.Id].ToList())).ToList();
    }
}
