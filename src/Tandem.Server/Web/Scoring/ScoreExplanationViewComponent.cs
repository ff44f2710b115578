using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Scoring;

/// <summary>
/// The person page's "why this score": each fit rule that held and its points, and each engagement award with what it
/// is worth now after decay and which cap stopped it — computed now under the active model, as the API explains it.
/// The caller has already checked that the person is visible to the signed-in user.
/// </summary>
internal sealed class ScoreExplanationViewComponent(Database db, PersonScorer scorer) : ViewComponent
{
    /// <summary>How many awards are listed one by one; all of them count in the per-rule totals.</summary>
    public const int AwardsListed = 25;

    public sealed record RuleTotal(string RuleName, int Counted, int Capped, double ValueNow);

    public sealed record Explanation(PersonScorer.Scored Scored, IReadOnlyList<RuleTotal> ByRule);

    public async Task<IViewComponentResult> InvokeAsync(long personId)
    {
        var scored = await db.ReadAsync(c => scorer.ComputeAsync(c, null, personId, explain: true), HttpContext.RequestAborted);
        if (scored is null) return Content("");
        var byRule = scored.Score.Engagement.Awards.GroupBy(a => a.RuleName)
            .Select(g => new RuleTotal(g.Key, g.Count(a => a.CappedBy is null), g.Count(a => a.CappedBy is not null), Math.Round(g.Sum(a => a.ValueNow), 1)))
            .OrderByDescending(r => r.ValueNow).ToList();
        return View(new Explanation(scored, byRule));
    }
}
