namespace Tandem.Domain.Sla;

/// <summary>One assignment's first-touch clock, as the scorecard sees it.</summary>
/// <param name="BusinessTimeToTouch">Business time from assignment to the first attempt, when there was one.</param>
/// <param name="Attempts">Attempts the owner logged while holding the lead.</param>
public sealed record FirstTouchFact(bool Touched, bool Breached, TimeSpan? BusinessTimeToTouch, int Attempts);

/// <summary>How a rep or team kept sales' side of the agreement over a period.</summary>
public sealed record SalesScore(
    int Leads,
    int Touched,
    int NeverTouched,
    double? NeverTouchedShare,
    TimeSpan? MedianTimeToFirstTouch,
    TimeSpan? P90TimeToFirstTouch,
    double? WithinSlaShare,
    int Attempts,
    int Breaches);

public static class SalesScorecard
{
    /// <param name="leads">The first-touch clocks started in the period, one per assignment.</param>
    /// <param name="breaches">Breaches of any kind in the period.</param>
    public static SalesScore Score(IReadOnlyCollection<FirstTouchFact> leads, int breaches)
    {
        var times = leads.Where(l => l.BusinessTimeToTouch is not null).Select(l => l.BusinessTimeToTouch!.Value.Ticks).Order().ToList();
        var touched = leads.Count(l => l.Touched);
        // A clock that is still running and not yet due has no verdict; it joins the share once it is met or breached.
        var met = leads.Count(l => l.Touched && !l.Breached);
        var judged = met + leads.Count(l => l.Breached);
        return new SalesScore(
            leads.Count, touched, leads.Count - touched,
            leads.Count == 0 ? null : (double)(leads.Count - touched) / leads.Count,
            Percentile(times, 0.5) is { } p50 ? TimeSpan.FromTicks(p50) : null,
            Percentile(times, 0.9) is { } p90 ? TimeSpan.FromTicks(p90) : null,
            judged == 0 ? null : (double)met / judged,
            leads.Sum(l => l.Attempts),
            breaches);
    }

    /// <summary>The p-th percentile of sorted values, interpolating between neighbours (p=0.5 of 1,2,3,4 is 2.5); null when empty.</summary>
    public static long? Percentile(IReadOnlyList<long> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return (long)Math.Round(sorted[low] + (sorted[high] - sorted[low]) * (rank - low));
    }
}

/// <summary>Marketing's side: "at least N MQLs a month with at least X% accepted".</summary>
public sealed record MarketingCommitment(int MinimumMqls, double MinimumAcceptanceRate);

public sealed record MarketingScore(int Mqls, int Accepted, int Rejected, double? AcceptanceRate, bool VolumeMet, bool? AcceptanceMet);

public static class MarketingScorecard
{
    /// <summary>Acceptance rate = accepted / (accepted + rejected): leads still awaiting a decision do not count against marketing.</summary>
    public static MarketingScore Score(MarketingCommitment commitment, int mqls, int accepted, int rejected)
    {
        double? rate = accepted + rejected == 0 ? null : (double)accepted / (accepted + rejected);
        return new MarketingScore(mqls, accepted, rejected, rate, mqls >= commitment.MinimumMqls,
            rate is { } r ? r >= commitment.MinimumAcceptanceRate : null);
    }

    /// <summary>
    /// A month's MQL commitment judged pro rata to the time gone: on Dec 2, 500 a month expects about 32 so far, so
    /// 64 is on pace, not short. A month that is over is judged on the whole commitment.
    /// </summary>
    public static MonthPace Pace(int committed, int delivered, DateTimeOffset monthStart, DateTimeOffset monthEnd, DateTimeOffset now)
    {
        var share = now >= monthEnd ? 1.0 : now <= monthStart ? 0.0 : (now - monthStart) / (monthEnd - monthStart);
        var expected = (int)Math.Round(committed * share, MidpointRounding.AwayFromZero);
        return new MonthPace(expected, delivered >= expected, now >= monthEnd);
    }
}

/// <param name="ExpectedToDate">The commitment's share for the time gone in the month (the whole of it for a past month).</param>
/// <param name="OnPace">Delivered at least what is expected to date.</param>
/// <param name="MonthOver">The month has ended, so the whole commitment is due.</param>
public sealed record MonthPace(int ExpectedToDate, bool OnPace, bool MonthOver);
