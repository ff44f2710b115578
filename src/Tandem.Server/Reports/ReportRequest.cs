using Tandem.Server.Hosting;

namespace Tandem.Server.Reports;

/// <summary>Which people a funnel follows: those who moved in the period, or a cohort followed forward from the period.</summary>
internal enum FunnelMode
{
    /// <summary>Each stage counts the people who first reached it within the period, whenever they were created.</summary>
    Period,
    /// <summary>The people created within the period, and every stage they have reached since.</summary>
    Cohort,
    /// <summary>The people who first reached MQL within the period, and every stage they have reached since.</summary>
    MqlCohort,
}

/// <summary>
/// What a report covers, read the same way from the API's query string and the web pages' address: a period
/// (<see cref="From"/> included, <see cref="To"/> excluded, UTC; read by <see cref="PeriodBounds"/>, so a date given as
/// <c>to</c> is included whole), how its trend is bucketed, the funnel mode and the breakdown.
/// </summary>
internal sealed record ReportRequest(DateTimeOffset From, DateTimeOffset To, string Interval, FunnelMode Mode, Dimension? By)
{
    public const int DefaultDays = 90;
    public static readonly IReadOnlyList<string> Intervals = ["week", "month"];

    public static readonly IReadOnlyDictionary<string, FunnelMode> Modes = new Dictionary<string, FunnelMode>
    {
        ["period"] = FunnelMode.Period, ["cohort"] = FunnelMode.Cohort, ["mql-cohort"] = FunnelMode.MqlCohort,
    };

    public long FromMs => From.ToUnixTimeMilliseconds();
    public long ToMs => To.ToUnixTimeMilliseconds();
    public string ModeName => Modes.First(m => m.Value == Mode).Key;

    /// <summary>Reads from, to, interval, mode and by; a value that cannot be used is named in <paramref name="v"/>.</summary>
    /// <remarks>By default the period is the last <see cref="DefaultDays"/> days up to the end of today (UTC).</remarks>
    public static ReportRequest Parse(Func<string, string?> valueOf, DateTimeOffset now, Validation v)
    {
        string? Text(string name) => valueOf(name) is { } raw && raw.Trim() is { Length: > 0 } t ? t : null;

        var endOfToday = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        var to = PeriodBounds.End(Text("to"), v) ?? endOfToday;
        var from = PeriodBounds.Start(Text("from"), v) ?? to.AddDays(-DefaultDays);
        if (to <= from) v.Add("to", "Must be after from.");
        else if (to - from > TimeSpan.FromDays(3 * 366)) v.Add("from", "A period may span at most three years.");

        var interval = (Text("interval") ?? "week").ToLowerInvariant();
        if (!Intervals.Contains(interval)) v.Add("interval", "Use week or month.");

        var modeText = (Text("mode") ?? "period").ToLowerInvariant();
        if (!Modes.TryGetValue(modeText, out var mode)) v.Add("mode", "Use period, cohort or mql-cohort.");

        Dimension? by = null;
        if (Text("by") is { } byText)
        {
            if (Dimensions.TryParse(byText, out var d)) by = d;
            else v.Add("by", $"Break down by one of: {string.Join(", ", Dimensions.Names)}.");
        }
        return new ReportRequest(from, to, interval, mode, by);
    }

    /// <summary>The starts of the trend's buckets: weeks from <see cref="From"/>, or calendar months (the first clipped to From).</summary>
    public IReadOnlyList<DateTimeOffset> Buckets()
    {
        var starts = new List<DateTimeOffset>();
        for (var at = From; at < To; at = Next(at)) starts.Add(at);
        return starts;
    }

    /// <summary>The bucket an instant falls in (its index in <see cref="Buckets"/>).</summary>
    public int BucketOf(IReadOnlyList<DateTimeOffset> buckets, DateTimeOffset at)
    {
        var i = buckets.Count - 1;
        while (i > 0 && buckets[i] > at) i--;
        return i;
    }

    /// <summary>Where a bucket ends (exclusive): the next bucket's start, or the period's end.</summary>
    public DateTimeOffset BucketEnd(DateTimeOffset start) => Next(start) < To ? Next(start) : To;

    private DateTimeOffset Next(DateTimeOffset at)
    {
        if (Interval == "week") return at.AddDays(7);
        var month = new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return month.AddMonths(1);
    }
}
