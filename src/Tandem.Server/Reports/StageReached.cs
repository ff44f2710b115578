using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Reports;

namespace Tandem.Server.Reports;

/// <summary>
/// The funnel's rollup: when each person first reached each stage (stage_reached, migration 0020). Written by
/// Lifecycle/MoveStage.cs with every stage move, in the move's transaction, so the funnel and velocity reports read
/// one row per person and stage instead of the whole history. Only a stage's first entry counts: a recycled lead
/// that becomes an MQL again keeps the date it first did.
/// </summary>
internal static class StageReached
{
    public static async Task RecordAsync(DbConnection c, DbTransaction tx, long personId, Stage to, long at)
    {
        foreach (var (stage, implied) in Funnel.Reached(to))
            await c.ExecuteAsync(
                "INSERT INTO stage_reached (person_id, stage, reached_at, implied) VALUES (@personId, @stage, @at, @implied) " +
                "ON CONFLICT (person_id, stage) DO NOTHING",
                new { personId, stage = stage.ToString(), at, implied = implied ? 1L : 0L }, tx);
    }
}
