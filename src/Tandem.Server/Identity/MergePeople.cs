using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.Hosting;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Identity;

/// <summary>
/// POST /api/v1/people/merge: fold a duplicate into the person that survives. Fields follow
/// survivorship, opt-outs accumulate, the earlier first touch and later last touch are kept,
/// activities and identifiers move, an audit entry records both records as they were, and the
/// merged id answers with a redirect to the survivor from then on.
/// </summary>
internal static class MergePeople
{
    public sealed record Request(long? SurvivorId, long? MergedId);

    public sealed record MergeResult(long MergeId, long MergedId, PersonDto Survivor);

    public static async Task<Results<Ok<MergeResult>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, HttpContext http, Consequences consequences, MoveStage moveStage, PersonEvents events, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (request.SurvivorId is null) v.Add("survivorId", "The id of the person who survives is required.");
        if (request.MergedId is null) v.Add("mergedId", "The id of the person merged into the survivor is required.");
        if (request.SurvivorId is not null && request.SurvivorId == request.MergedId) v.Add("mergedId", "A person cannot be merged into themself.");
        if (!v.IsValid) return v.ToProblem();

        var actor = Actors.Of(http.User);
        return await consequences.WriteAsync<Results<Ok<MergeResult>, ValidationProblem, ProblemHttpResult>>(async (c, tx) =>
        {
            var outcome = await MergeAsync(c, tx, request.SurvivorId!.Value, request.MergedId!.Value, actor,
                clock.GetUtcNow().ToUnixTimeMilliseconds(), moveStage, events);
            // The answer shows the survivor re-scored with everything the merge brought.
            await consequences.DispatchAsync(c, tx);
            return outcome.Status switch
            {
                MergeStatus.SurvivorNotFound => Problems.NotFound("Person", request.SurvivorId),
                MergeStatus.MergedNotFound => Problems.NotFound("Person", request.MergedId),
                MergeStatus.AlreadyMerged => Problems.Conflict("Already merged.",
                    $"Person {outcome.AlreadyMergedId} was already merged into another person."),
                _ => TypedResults.Ok(new MergeResult(outcome.MergeId, request.MergedId.Value, await PersonDto.LoadAsync(c, tx, (await PersonStore.FindAsync(c, tx, outcome.Survivor!.Id))!))),
            };
        }, ct);
    }

    public enum MergeStatus { Merged, SurvivorNotFound, MergedNotFound, AlreadyMerged }

    public sealed record MergeOutcome(MergeStatus Status, long MergeId = 0, PersonRow? Survivor = null, long? AlreadyMergedId = null);

    /// <summary>
    /// Merges <paramref name="mergedId"/> into <paramref name="survivorId"/> inside the caller's transaction;
    /// the one merge used by the API and by identity resolution (an identify that proves two records are one person).
    /// </summary>
    public static async Task<MergeOutcome> MergeAsync(DbConnection c, DbTransaction tx, long survivorId, long mergedId, Actor actor, long now,
        MoveStage moveStage, PersonEvents events)
    {
        // Lock in id order so two opposite merges cannot deadlock.
        var ids = new[] { survivorId, mergedId }.Order().ToArray();
        var rows = new Dictionary<long, PersonRow?>();
        foreach (var pid in ids) rows[pid] = await PersonStore.FindAsync(c, tx, pid, forUpdate: true);
        var survivor = rows[survivorId];
        var merged = rows[mergedId];
        if (survivor is null || survivor.ErasedAt is not null) return new MergeOutcome(MergeStatus.SurvivorNotFound);
        if (merged is null || merged.ErasedAt is not null) return new MergeOutcome(MergeStatus.MergedNotFound);
        if (survivor.MergedIntoId is not null || merged.MergedIntoId is not null)
            return new MergeOutcome(MergeStatus.AlreadyMerged, AlreadyMergedId: survivor.MergedIntoId is not null ? survivor.Id : merged.Id);

        var survivorBefore = Json.Write(survivor);
        var mergedBefore = Json.Write(merged);

        survivor.ApplyProfile(Survivorship.Merge(survivor.ToProfile(), merged.ToProfile()));
        survivor.SetConsent(survivor.Consent.Combine(merged.Consent));
        if (merged.FirstTouchAt is { } mf && (survivor.FirstTouchAt is null || mf < survivor.FirstTouchAt))
            (survivor.FirstTouch, survivor.FirstTouchChannel, survivor.FirstTouchAt) = (merged.FirstTouch, merged.FirstTouchChannel, mf);
        if (merged.LastTouchAt is { } ml && (survivor.LastTouchAt is null || ml > survivor.LastTouchAt))
            (survivor.LastTouch, survivor.LastTouchChannel, survivor.LastTouchAt) = (merged.LastTouch, merged.LastTouchChannel, ml);
        survivor.AccountId ??= merged.AccountId;
        survivor.CreatedAt = Math.Min(survivor.CreatedAt, merged.CreatedAt);
        survivor.UpdatedAt = now;

        var mergedEmail = merged.Email;
        merged.Email = null; // frees the unique email for the survivor
        merged.MergedIntoId = survivor.Id;
        merged.UpdatedAt = now;
        await PersonStore.UpdateAsync(c, tx, merged);
        if (survivor.Email is null && mergedEmail is not null) survivor.Email = mergedEmail;

        // The further-along main stage wins: merging must not undo progress sales already made.
        if (survivor.ParsedStage.IsMain() && merged.ParsedStage.IsMain() && merged.ParsedStage > survivor.ParsedStage)
            await moveStage.MoveAsync(c, tx, survivor,
                new StageMove(merged.ParsedStage, actor, now, ReasonText: $"Merged with person {merged.Id}, who was already {merged.Stage}."));
        await PersonStore.UpdateAsync(c, tx, survivor);

        var move = new { s = survivor.Id, m = merged.Id };
        await c.ExecuteAsync("UPDATE activities SET person_id = @s WHERE person_id = @m", move, tx);
        await c.ExecuteAsync("UPDATE person_external_ids SET person_id = @s WHERE person_id = @m", move, tx);
        await c.ExecuteAsync("UPDATE anonymous_ids SET person_id = @s WHERE person_id = @m", move, tx);
        await c.ExecuteAsync("UPDATE people SET merged_into_id = @s WHERE merged_into_id = @m", move, tx);

        var result = Json.Write(survivor);
        var mergeId = await c.ExecuteScalarAsync<long>(
            "INSERT INTO merges (survivor_id, merged_id, merged_at, actor_type, actor_id, actor_name, survivor_before, merged_before, result) " +
            "VALUES (@s, @m, @now, @at, @aid, @an, @sb, @mb, @result) RETURNING id",
            new { s = survivor.Id, m = merged.Id, now, at = actor.Type.ToString(), aid = actor.Id, an = actor.Name, sb = survivorBefore, mb = mergedBefore, result }, tx);
        await ActivityStore.AppendAsync(c, tx, new NewActivity(survivor.Id, null, "merged", now, now, ActivitySources.System,
            Json.Write(new { mergeId, mergedId = merged.Id, mergedEmail, by = actor.Name })));

        events.Raise(tx, new ProfileChanged(survivor.Id, ["merged"], actor));
        events.Raise(tx, new ActivitiesAppended([survivor.Id], actor));
        return new MergeOutcome(MergeStatus.Merged, mergeId, survivor);
    }
}
