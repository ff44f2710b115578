using System.Data.Common;
using Tandem.Domain.Capture;
using Tandem.Domain.Planning;
using Tandem.Server.Reports;

namespace Tandem.Server.Planning;

/// <param name="Value">converted ÷ sample; null where the sample is empty (nothing to measure).</param>
/// <param name="Sample">The people (or, for visit→lead, the sessions) at the row above: what the rate is measured over.</param>
/// <param name="Converted">How many of them reached the row.</param>
internal sealed record MeasuredRate(double? Value, long Sample, long Converted)
{
    /// <summary>Below this many the rate is shown with a warning: a handful of people says little about the next hundred.</summary>
    public const int TooSmall = 30;

    public bool IsTooSmall => Sample < TooSmall;
}

/// <summary>Rates measured over a window, overall ("") and per first-touch channel.</summary>
internal sealed record MeasuredRates(DateTimeOffset From, DateTimeOffset To, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MeasuredRate>> ByChannel)
{
    public MeasuredRate Of(string? channel, string rate) =>
        ByChannel.GetValueOrDefault(channel ?? "")?.GetValueOrDefault(rate) ?? new MeasuredRate(null, 0, 0);

    /// <summary>
    /// Lead → … → deal from the stage_reached rollup as a cohort (the people created in the window, and how far they got
    /// since), so a rate never exceeds 100 %; visit → lead is those leads over the sessions tracked in the window.
    /// </summary>
    public static async Task<MeasuredRates> ReadAsync(DbConnection c, DateTimeOffset from, DateTimeOffset to)
    {
        var request = new ReportRequest(from, to, "month", FunnelMode.Cohort, Dimension.Channel);
        var funnel = await FunnelReport.ReadAsync(c, request, null);
        var traffic = await TrafficReport.ReadAsync(c, request with { By = null }, null);

        var result = new Dictionary<string, IReadOnlyDictionary<string, MeasuredRate>>
        {
            [""] = Rates(funnel.Steps.ToDictionary(s => s.Stage, s => s.Count), traffic.Totals.Sessions),
        };
        var sessions = traffic.Channels.GroupBy(ch => Channels.Fold(ch.Channel)).ToDictionary(g => g.Key, g => g.Sum(ch => ch.Sessions));
        foreach (var g in funnel.Groups.Where(g => g.Key is not null).GroupBy(g => Channels.Fold(g.Key!)))
        {
            var counts = g.SelectMany(x => x.Counts).GroupBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => kv.Sum(x => x.Value));
            result[g.Key] = Rates(counts, sessions.GetValueOrDefault(g.Key));
        }
        foreach (var (channel, n) in sessions.Where(s => !result.ContainsKey(s.Key)))
            result[channel] = Rates(new Dictionary<string, long>(), n);
        return new MeasuredRates(from, to, result);
    }

    private static IReadOnlyDictionary<string, MeasuredRate> Rates(IReadOnlyDictionary<string, long> reached, long sessions)
    {
        long At(PlanStep s) => s == PlanStep.Visit ? sessions : reached.GetValueOrDefault(s == PlanStep.Deal ? "Customer" : s.ToString());
        return PlanSteps.All.Skip(1).ToDictionary(PlanSteps.RateInto, to =>
        {
            var sample = At(to - 1);
            // A lead need not come from a tracked visit (imports, forms on other sites): the share is capped at every visit.
            var converted = to == PlanStep.Lead ? Math.Min(At(to), sample) : At(to);
            return new MeasuredRate(sample == 0 ? null : Math.Round((double)converted / sample, 4), sample, converted);
        });
    }
}
