namespace Tandem.Bench.Reports;

/// <summary>The period funnel computed from stage_changes alone, with the same meaning as the rollup: a step counts each person's first arrival at it or past it.</summary>
internal static class RawFunnel
{
    public const string Sql =
        "WITH f (stage, rank) AS (VALUES ('Lead', 1), ('MQL', 2), ('SAL', 3), ('SQL', 4), ('Opportunity', 5), ('Customer', 6), ('Recycled', 7), ('Disqualified', 8)), " +
        "firsts AS (SELECT s.person_id, f.stage, MIN(s.changed_at) AS at FROM stage_changes s JOIN f t ON t.stage = s.to_stage " +
        "           JOIN f ON (t.rank <= 6 AND f.rank <= t.rank) OR (t.rank > 6 AND f.rank = t.rank) GROUP BY s.person_id, f.stage) " +
        "SELECT firsts.stage, COUNT(*) FROM firsts JOIN people p ON p.id = firsts.person_id " +
        "WHERE firsts.at >= @from AND firsts.at < @to AND p.merged_into_id IS NULL GROUP BY firsts.stage";
}
