namespace Tandem.Domain.Reporting;

/// <summary>
/// One converted outcome (a lead created, an MQL, an SQL, an opportunity, a customer) and the instants that shape its credit.
/// </summary>
/// <param name="TouchTimes">When each touchpoint happened, oldest first; only touches at or before <paramref name="OutcomeAt"/> earn credit.</param>
/// <param name="LeadCreatedAt">When the person became a lead: the last touch at or before it is the lead-creation touch.</param>
/// <param name="OpportunityAt">When the person became an opportunity, if they did: the last touch at or before it is the opportunity touch.</param>
public sealed record Journey(IReadOnlyList<long> TouchTimes, long OutcomeAt, long LeadCreatedAt, long? OpportunityAt);

/// <summary>
/// Shares one unit of credit for an outcome among its touchpoints. Pure arithmetic: the shares of an outcome with at
/// least one touch before it always sum to 1, whatever the model, so credited counts add up to the outcomes counted.
/// </summary>
public static class CreditSplit
{
    /// <summary>The default time-decay half-life: a touch a week before the outcome counts half as much as one on the day.</summary>
    public static readonly TimeSpan DefaultHalfLife = TimeSpan.FromDays(7);

    /// <returns>
    /// One share per entry of <see cref="Journey.TouchTimes"/> (0 for touches after the outcome); all zero when no touch
    /// came before the outcome (the caller decides where such an outcome's credit goes).
    /// </returns>
    public static double[] Split(CreditModel model, Journey journey, TimeSpan? halfLife = null)
    {
        var times = journey.TouchTimes;
        var shares = new double[times.Count];
        var n = 0;
        while (n < times.Count && times[n] <= journey.OutcomeAt) n++;
        if (n == 0) return shares;
        if (n == 1) { shares[0] = 1; return shares; }

        switch (model)
        {
            case CreditModel.FirstTouch:
                shares[0] = 1;
                break;
            case CreditModel.LastTouch:
                shares[n - 1] = 1;
                break;
            case CreditModel.Linear:
                for (var i = 0; i < n; i++) shares[i] = 1.0 / n;
                break;
            case CreditModel.UShaped:
                Positions(shares, n, [(0, 0.4), (LastAtOrBefore(times, n, journey.LeadCreatedAt), 0.4)]);
                break;
            case CreditModel.WShaped:
                var lead = LastAtOrBefore(times, n, journey.LeadCreatedAt);
                if (journey.OpportunityAt is { } opp && opp <= journey.OutcomeAt)
                    Positions(shares, n, [(0, 0.3), (lead, 0.3), (LastAtOrBefore(times, n, opp), 0.3)]);
                else
                    Positions(shares, n, [(0, 0.4), (lead, 0.4)]);
                break;
            default:
                var halfLifeMs = (halfLife ?? DefaultHalfLife).TotalMilliseconds;
                var total = 0.0;
                for (var i = 0; i < n; i++) total += shares[i] = Math.Pow(2, -(journey.OutcomeAt - times[i]) / halfLifeMs);
                for (var i = 0; i < n; i++) shares[i] /= total;
                break;
        }
        return shares;
    }

    /// <summary>
    /// Position-based credit: each key touch gets its weight (a touch that is two keys at once gets both), the rest is
    /// shared equally by the touches that are no key; when every touch is a key, the keys' weights are scaled up to 1.
    /// </summary>
    private static void Positions(double[] shares, int n, (int Index, double Weight)[] keys)
    {
        var keyed = new bool[n];
        var keyWeight = 0.0;
        foreach (var (index, weight) in keys) { shares[index] += weight; keyed[index] = true; keyWeight += weight; }
        var others = keyed.Count(k => !k);
        if (others > 0)
        {
            var each = (1 - keyWeight) / others;
            for (var i = 0; i < n; i++) if (!keyed[i]) shares[i] = each;
        }
        else
        {
            for (var i = 0; i < n; i++) shares[i] /= keyWeight;
        }
    }

    /// <summary>The last of the first <paramref name="n"/> touches at or before the instant; the first touch when none is.</summary>
    private static int LastAtOrBefore(IReadOnlyList<long> times, int n, long instant)
    {
        var found = 0;
        for (var i = 0; i < n; i++) if (times[i] <= instant) found = i;
        return found;
    }
}
