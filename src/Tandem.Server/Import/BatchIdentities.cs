using System.Data.Common;
using Dapper;
using Tandem.Domain.Import;
using Tandem.Server.Storage;

namespace Tandem.Server.Import;

/// <summary>
/// The people a batch's rows already match, looked up with two queries for the whole batch instead of
/// several per row. A row it does not know (new, merged away, or created earlier in the batch) takes the
/// capture path's own lookup, so the outcome is the same either way; only the speed differs.
/// </summary>
internal sealed class BatchIdentities
{
    private readonly Dictionary<string, Known> byEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), Known> byExternalId = new();

    public sealed record Known(long Id, string? LastTouch);

    public static async Task<BatchIdentities> LoadAsync(DbConnection c, DbTransaction tx, IReadOnlyList<MappedRow> rows)
    {
        var known = new BatchIdentities();
        foreach (var chunk in rows.Where(r => r.Email is not null).Select(r => r.Email!.Value.Value).Distinct().Chunk(500))
            foreach (var p in await c.QueryAsync<(long Id, string Email, string? LastTouch)>(
                         $"SELECT id, email, last_touch FROM people WHERE merged_into_id IS NULL AND {Sql.In(c, "email", "@emails")}", new { emails = chunk }, tx))
                known.byEmail[p.Email] = new Known(p.Id, p.LastTouch);
        foreach (var chunk in rows.SelectMany(r => r.ExternalIds).Select(e => e.Id).Distinct().Chunk(500))
            foreach (var p in await c.QueryAsync<(string Source, string ExternalId, long Id, string? LastTouch)>(
                         "SELECT x.source, x.external_id, p.id, p.last_touch FROM person_external_ids x JOIN people p ON p.id = x.person_id " +
                         $"WHERE p.merged_into_id IS NULL AND {Sql.In(c, "x.external_id", "@ids")}", new { ids = chunk }, tx))
                known.byExternalId[(p.Source, p.ExternalId)] = new Known(p.Id, p.LastTouch);
        return known;
    }

    /// <summary>The person the row matches, by external id first and then email, as the capture path decides.</summary>
    public Known? Find(MappedRow row)
    {
        foreach (var e in row.ExternalIds)
            if (byExternalId.TryGetValue(e, out var k)) return k;
        // An unknown external id with a known email still resolves to the email's person, exactly as capture does.
        return row.Email is { } email && byEmail.TryGetValue(email.Value, out var m) ? m : null;
    }
}
