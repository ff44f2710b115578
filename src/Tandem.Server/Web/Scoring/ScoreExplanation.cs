using System.Data.Common;
using Tandem.Server.Scoring;

namespace Tandem.Server.Web.Scoring;

/// <summary>
/// The person page's "why this score": each fit rule that held and its points, and each engagement award with what it
/// is worth now after decay and which cap stopped it — computed now under the active model, as the API explains it.
/// The caller has already checked that the person is visible to the signed-in user.
/// </summary>
internal static class ScoreExplanation
{
    /// <summary>How many awards are listed one by one; all of them count in the per-rule totals.</summary>
    public const int AwardsListed = 25;

    public sealed record RuleTotal(string RuleName, int Counted, int Capped, double ValueNow);

    public sealed record Explanation(PersonScorer.Scored Scored, IReadOnlyList<RuleTotal> ByRule);

    /// <returns>Null when no model is active or the person cannot be scored.</returns>
    public static async Task<Explanation?> LoadAsync(DbConnection c, PersonScorer scorer, long personId)
    {
        var scored = await scorer.ComputeAsync(c, null, personId, explain: true);
        if (scored is null) return null;
        var byRule = scored.Score.Engagement.Awards.GroupBy(a => a.RuleName)
            .Select(g => new RuleTotal(g.Key, g.Count(a => a.CappedBy is null), g.Count(a => a.CappedBy is not null), Math.Round(g.Sum(a => a.ValueNow), 1)))
            .OrderByDescending(r => r.ValueNow).ToList();
        return new Explanation(scored, byRule);
    }
}
