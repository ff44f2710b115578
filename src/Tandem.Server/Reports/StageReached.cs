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
        // One statement for the stage and those it implies (an SQL is also an MQL and a SAL): a round trip each was
        // three or four per new person on an import.
        var reached = Funnel.Reached(to).ToList();
        if (reached.Count == 0) return;
        var parameters = new DynamicParameters(new { personId, at });
        for (var i = 0; i < reached.Count; i++)
        {
            parameters.Add($"stage{i}", reached[i].Stage.ToString());
            parameters.Add($"implied{i}", reached[i].Implied ? 1L : 0L);
        }
        var values = string.Join(", ", reached.Select((_, i) => $"(@personId, @stage{i}, @at, @implied{i})"));
        await c.ExecuteAsync(
            $"INSERT INTO stage_reached (person_id, stage, reached_at, implied) VALUES {values} ON CONFLICT (person_id, stage) DO NOTHING",
            parameters, tx);
    }
}
