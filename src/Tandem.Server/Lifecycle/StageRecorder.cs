using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Lifecycle;

/// <summary>Writes a stage change: the history row, a timeline fact and the person's new stage, in the caller's transaction.</summary>
public sealed class StageRecorder(PersonEvents events)
{
    /// <param name="scores">A snapshot of the person's scores at the moment of the change, when scoring exists.</param>
    public async Task RecordAsync(DbConnection c, DbTransaction tx, PersonRow person, Stage? from, Stage to, Actor actor,
        long at, string? reasonCode = null, string? reasonText = null, string? scores = null)
    {
        scores ??= person.ScoredAt is null ? null : Json.Write(new
        {
            fit = person.FitScore, grade = person.FitGrade, engagement = person.EngagementScore, cell = person.ScoreCell,
            meetsMql = person.MeetsMql != 0, personas = person.PersonaNames, modelVersion = person.ScoreModelVersion,
        });
        await c.ExecuteAsync(
            "INSERT INTO stage_changes (person_id, from_stage, to_stage, changed_at, actor_type, actor_id, actor_name, reason_code, reason_text, scores) " +
            "VALUES (@PersonId, @From, @To, @At, @ActorType, @ActorId, @ActorName, @ReasonCode, @ReasonText, @Scores)",
            new
            {
                PersonId = person.Id, From = from?.ToString(), To = to.ToString(), At = at,
                ActorType = actor.Type.ToString(), ActorId = actor.Id, ActorName = actor.Name,
                ReasonCode = reasonCode, ReasonText = reasonText, Scores = scores,
            }, tx);
        await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, "stage_changed", at, at, ActivitySources.System,
            Json.Write(new { from = from?.ToString(), to = to.ToString(), by = actor.Name, byType = actor.Type.ToString(), reasonCode, reasonText })));
        person.Stage = to.ToString();
        person.StageChangedAt = at;
        await events.StageChangedAsync(c, tx, person.Id, from, to, actor);
    }
}
