using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.Identity;
using Tandem.Server.People;
using Tandem.Server.Reports;
using Tandem.Server.Storage;

namespace Tandem.Server.Lifecycle;

/// <summary>One stage move: where to, who made it, when and why.</summary>
/// <param name="Scores">A snapshot of the scores that caused the move; by default, the person's scores at the moment.</param>
/// <param name="Reasons">The reason codes the move may carry; by default, the workspace's lifecycle codes.</param>
internal sealed record StageMove(Stage To, Actor By, long At, string? ReasonCode = null, string? ReasonText = null, string? Scores = null,
    ReasonCodes? Reasons = null);

/// <summary>
/// The one way a person changes stage, whoever asks (the API, the web app, sales' hand-off, scoring, an import, a
/// merge, the demo): decide with the lifecycle table, write the new stage on the person row, write the history row,
/// the funnel's rollup (Reports/StageReached.cs) and the timeline fact, then raise <see cref="StageChanged"/> — so everything that reacts finds the stage already
/// on the row.
/// </summary>
internal sealed class MoveStage(LifecycleSettings lifecycle, PersonEvents events)
{
    /// <returns>The lifecycle's decision; nothing is written unless it allows the move.</returns>
    public async Task<TransitionDecision> MoveAsync(DbConnection c, DbTransaction tx, PersonRow person, StageMove move)
    {
        var from = person.ParsedStage;
        var decision = LifecycleTransitions.Decide(from, move.To, move.ReasonCode, move.Reasons ?? lifecycle.ReasonCodes);
        if (!decision.IsAllowed) return decision;

        person.Stage = move.To.ToString();
        person.StageChangedAt = move.At;
        person.UpdatedAt = Math.Max(person.UpdatedAt, move.At);
        await c.ExecuteAsync("UPDATE people SET stage = @Stage, stage_changed_at = @StageChangedAt, updated_at = @UpdatedAt WHERE id = @Id", person, tx);
        await RecordAsync(c, tx, person, from, move with { ReasonCode = move.ReasonCode?.Trim().ToLowerInvariant() });
        return decision;
    }

    /// <summary>A new person's first stage, already on the row they were inserted with: its history and its event.</summary>
    public Task EnterFirstStageAsync(DbConnection c, DbTransaction tx, PersonRow person, Actor by, long at) =>
        RecordAsync(c, tx, person, null, new StageMove(person.ParsedStage, by, at));

    private async Task RecordAsync(DbConnection c, DbTransaction tx, PersonRow person, Stage? from, StageMove move)
    {
        var scores = move.Scores ?? (person.ScoredAt is null ? null : Json.Write(new
        {
            fit = person.FitScore, grade = person.FitGrade, engagement = person.EngagementScore, cell = person.ScoreCell,
            meetsMql = person.MeetsMql != 0, personas = person.PersonaNames, modelVersion = person.ScoreModelVersion,
        }));
        await c.ExecuteAsync(
            "INSERT INTO stage_changes (person_id, from_stage, to_stage, changed_at, actor_type, actor_id, actor_name, reason_code, reason_text, scores) " +
            "VALUES (@PersonId, @From, @To, @At, @ActorType, @ActorId, @ActorName, @ReasonCode, @ReasonText, @Scores)",
            new
            {
                PersonId = person.Id, From = from?.ToString(), To = move.To.ToString(), move.At,
                ActorType = move.By.Type.ToString(), ActorId = move.By.Id, ActorName = move.By.Name,
                move.ReasonCode, move.ReasonText, Scores = scores,
            }, tx);
        await StageReached.RecordAsync(c, tx, person.Id, move.To, move.At);
        await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, "stage_changed", move.At, move.At, ActivitySources.System,
            Json.Write(new
            {
                from = from?.ToString(), to = move.To.ToString(), by = move.By.Name, byType = move.By.Type.ToString(),
                reasonCode = move.ReasonCode, reasonText = move.ReasonText,
            })));
        events.Raise(tx, new StageChanged(person.Id, from, move.To, move.By, move.ReasonCode));
    }
}
