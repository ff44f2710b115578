using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Identity;
using Tandem.Server.Audit;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Privacy;

/// <summary>What an erasure removed, by kind (counts only: the audit log and the answer never name the person).</summary>
internal sealed record ErasureDto(long PersonId, DateTimeOffset ErasedAt, IReadOnlyDictionary<string, long> Removed);

internal enum EraseStatus { Erased, NotFound, Merged, AlreadyErased }

internal sealed record EraseOutcome(EraseStatus Status, ErasureDto? Erasure = null, long? MergedIntoId = null, long? ErasedAt = null);

/// <summary>
/// POST /api/v1/people/{id}/erase (also the person page and <c>tandem people erase</c>): the right to erasure. In one
/// transaction, everything Tandem holds that names the person goes — profile, activities, identifiers, merge snapshots,
/// consent records, emails, notifications and their deliveries, tasks, nurture enrollments, notes, scores, import errors
/// holding their address — together with the records merged into them. Left behind is a tombstone: the people row with
/// its stage, dates, first-touch channel, grade and owner, and the stage history without free text, so the funnel,
/// scorecards and reports count what happened exactly as before. The email and external ids are kept only as keyed
/// hashes (<see cref="ErasedIdentifiers"/>), so a later capture of them is refused rather than silently bringing the
/// person back. The audit entry says who erased which id and how much went, never who the person was.
/// </summary>
internal sealed class PersonEraser(Database db, TimeProvider clock)
{
    public Task<EraseOutcome> EraseAsync(long personId, CancellationToken ct) =>
        db.WriteAsync((c, tx) => EraseAsync(c, tx, personId, clock.GetUtcNow().ToUnixTimeMilliseconds()), ct);

    public static async Task<EraseOutcome> EraseAsync(DbConnection c, DbTransaction tx, long personId, long now)
    {
        var row = await c.QuerySingleOrDefaultAsync<(long Id, long? MergedIntoId, long? ErasedAt)>(
            "SELECT id, merged_into_id, erased_at FROM people WHERE id = @personId" + SqlDialect.Of(c).ForUpdate, new { personId }, tx);
        if (row.Id == 0) return new EraseOutcome(EraseStatus.NotFound);
        if (row.ErasedAt is { } at) return new EraseOutcome(EraseStatus.AlreadyErased, ErasedAt: at);
        if (row.MergedIntoId is { } into) return new EraseOutcome(EraseStatus.Merged, MergedIntoId: into);

        var ids = await WithMergedAsync(c, tx, personId);
        var identifiers = await IdentifiersAsync(c, tx, ids);
        var removed = await TombstoneWriter.RemoveAsync(c, tx, ids, identifiers.Emails, identifiers.ExternalIds, now);
        await TombstoneWriter.EmptyRowsAsync(c, tx, ids, now);
        await ErasedIdentifiers.RememberAsync(c, tx,
            identifiers.Emails.Select(e => ("email", ErasedIdentifiers.EmailText(e)))
                .Concat(identifiers.ExternalIds.Select(x => ("external_id", ErasedIdentifiers.ExternalText(x.Source, x.Id)))), now);
        await AuditLog.WriteAsync(c, tx, now, "person.erased", $"person {personId}", new { mergedRecords = ids.Length - 1, removed });
        return new EraseOutcome(EraseStatus.Erased, new ErasureDto(personId, DateTimeOffset.FromUnixTimeMilliseconds(now), removed));
    }

    /// <summary>The person and every record merged into them (directly or through others): their data is the person's too.</summary>
    public static async Task<long[]> WithMergedAsync(DbConnection c, DbTransaction? tx, long personId)
    {
        var all = new List<long> { personId };
        var frontier = new[] { personId };
        while (frontier.Length > 0 && all.Count < 10_000)
        {
            var (inFrontier, value) = SqlDialect.Of(c).InIdList("merged_into_id", "@ids", frontier);
            frontier = (await c.QueryAsync<long>($"SELECT id FROM people WHERE {inFrontier}", new { ids = value }, tx)).Except(all).ToArray();
            all.AddRange(frontier);
        }
        return [.. all];
    }

    private sealed record Identifiers(IReadOnlyList<string> Emails, IReadOnlyList<(string Source, string Id)> ExternalIds);

    /// <summary>
    /// Every email the person was known by (their own, those of records merged into them, as the merge snapshots kept
    /// them, and the addresses emails went to) and their external ids.
    /// </summary>
    private static async Task<Identifiers> IdentifiersAsync(DbConnection c, DbTransaction tx, long[] ids)
    {
        var d = SqlDialect.Of(c);
        var (inPeople, value) = d.InIdList("id", "@ids", ids);
        var raw = (await c.QueryAsync<string?>($"SELECT email FROM people WHERE {inPeople}", new { ids = value }, tx)).ToList();
        var (inSurvivor, _) = d.InIdList("survivor_id", "@ids", ids);
        var (inMerged, _) = d.InIdList("merged_id", "@ids", ids);
        foreach (var (before, after, result) in await c.QueryAsync<(string, string, string)>(
                     $"SELECT survivor_before, merged_before, result FROM merges WHERE {inSurvivor} OR {inMerged}", new { ids = value }, tx))
            raw.AddRange(new[] { before, after, result }.Select(json => JsonNode.Parse(json)?["email"]?.GetValue<string>()));
        var (inPerson, _) = d.InIdList("person_id", "@ids", ids);
        raw.AddRange(await c.QueryAsync<string?>($"SELECT DISTINCT to_address FROM email_sends WHERE {inPerson}", new { ids = value }, tx));
        var emails = raw.Select(e => EmailAddress.TryParse(e, out var parsed) ? parsed.Value : null).OfType<string>().Distinct().ToList();
        var external = (await c.QueryAsync<(string, string)>(
            $"SELECT source, external_id FROM person_external_ids WHERE {inPerson}", new { ids = value }, tx)).ToList();
        return new Identifiers(emails, external);
    }

    public static async Task<Results<Ok<ErasureDto>, ProblemHttpResult>> Handle(long id, PersonEraser eraser, CancellationToken ct)
    {
        var outcome = await eraser.EraseAsync(id, ct);
        return outcome.Status switch
        {
            EraseStatus.NotFound => Problems.NotFound("Person", id),
            EraseStatus.AlreadyErased => Problems.Conflict("Already erased.",
                $"Person {id} was erased on {DateTimeOffset.FromUnixTimeMilliseconds(outcome.ErasedAt!.Value):yyyy-MM-dd}."),
            EraseStatus.Merged => Problems.Conflict("Merged into another person.",
                $"Person {id} was merged into person {outcome.MergedIntoId}; erase that person, which erases this record too.",
                new Dictionary<string, object?> { ["survivorId"] = outcome.MergedIntoId }),
            _ => TypedResults.Ok(outcome.Erasure!),
        };
    }
}
