namespace Tandem.Domain.Scoring;

/// <summary>An activity that satisfied an engagement rule (before caps), by the rule's index in the model.</summary>
public readonly record struct RuleHit(int Rule, long OccurredAt, long ActivityId);

/// <summary>One award in an explanation: what the activity earned, and what that is worth at the scoring instant.</summary>
public sealed record EngagementAward(string RuleId, string RuleName, long ActivityId, DateTimeOffset OccurredAt,
    int Points, double ValueNow, string? CappedBy);

/// <summary>
/// Engagement at an instant: <see cref="Raw"/> decayed points, <see cref="Normalized"/> 0–100.
/// <see cref="Decay"/> holds the raw points per half-life (days; 0 = no decay) so the value can be
/// carried forward to any later instant without reading the activities again.
/// </summary>
public sealed record EngagementResult(double Raw, int Normalized, IReadOnlyList<KeyValuePair<double, double>> Decay,
    IReadOnlyList<EngagementAward> Awards)
{
    public const long DayMs = 86_400_000;

    /// <summary>The raw value of a decay state carried from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static double CarryForward(IEnumerable<KeyValuePair<double, double>> decay, long from, long to) =>
        decay.Sum(d => Decayed(d, from, to));

    /// <summary>
    /// A stored engagement carried from <paramref name="from"/> to <paramref name="to"/>: each half-life's points
    /// decayed, with no activity read again (awards are not itemised).
    /// </summary>
    public static EngagementResult Carried(IEnumerable<KeyValuePair<double, double>> decay, long from, long to, double scale)
    {
        var carried = decay.Select(d => KeyValuePair.Create(d.Key, Decayed(d, from, to))).ToList();
        var raw = carried.Sum(d => d.Value);
        return new EngagementResult(raw, Normalize(raw, scale), carried, []);
    }

    private static double Decayed(KeyValuePair<double, double> d, long from, long to) =>
        d.Key <= 0 ? d.Value : d.Value * Math.Pow(0.5, Math.Max(0, to - from) / (d.Key * DayMs));

    public static int Normalize(double raw, double scale) => (int)Math.Clamp(Math.Round(raw * 100 / scale, MidpointRounding.AwayFromZero), 0, 100);
}

/// <summary>
/// Scores what someone did: each hit earns its rule's points, unless the rule's daily or lifetime cap
/// is already used up by earlier hits; each award then decays by the rule's half-life up to <c>now</c>.
/// Engagement at any instant is the sum of every award's decayed value at that instant.
/// </summary>
public static class EngagementScorer
{
    public static EngagementResult Score(ScoringModel model, IEnumerable<RuleHit> hits, long now, bool explain = false)
    {
        var ordered = hits is RuleHit[] array ? (RuleHit[])array.Clone() : hits.ToArray();
        Array.Sort(ordered, ByRuleThenTime.Instance);
        var awards = explain ? new List<EngagementAward>() : null;
        // Raw points per half-life; models have a handful of distinct half-lives, so a small list beats a dictionary.
        var decay = new List<KeyValuePair<double, double>>(4);
        double raw = 0;
        var i = 0;
        while (i < ordered.Length)
        {
            var ruleIndex = ordered[i].Rule;
            var rule = model.Engagement[ruleIndex];
            var halfLife = rule.HalfLifeDays is > 0 ? rule.HalfLifeDays.Value : 0;
            int lifetime = 0, today = 0;
            long day = long.MinValue;
            double ruleTotal = 0;
            for (; i < ordered.Length && ordered[i].Rule == ruleIndex; i++)
            {
                var hit = ordered[i];
                if (hit.OccurredAt > now) continue; // not yet happened at the scoring instant
                var hitDay = Math.DivRem(hit.OccurredAt, EngagementResult.DayMs, out var rem) - (rem < 0 ? 1 : 0);
                if (hitDay != day) { day = hitDay; today = 0; }
                string? cappedBy = null;
                if (rule.CapLifetime is { } life && lifetime >= life) cappedBy = $"lifetime cap of {life}";
                else if (rule.CapPerDay is { } perDay && today >= perDay) cappedBy = $"daily cap of {perDay}";
                double value = 0;
                if (cappedBy is null)
                {
                    lifetime++; today++;
                    value = halfLife > 0 ? rule.Points * Math.Pow(0.5, (now - hit.OccurredAt) / (halfLife * EngagementResult.DayMs)) : rule.Points;
                    ruleTotal += value;
                }
                awards?.Add(new EngagementAward(rule.Id, rule.Name, hit.ActivityId, DateTimeOffset.FromUnixTimeMilliseconds(hit.OccurredAt),
                    rule.Points, Math.Round(value, 2), cappedBy));
                if (cappedBy is not null && awards is null && rule.CapLifetime is { } l && lifetime >= l) { SkipRule(ordered, ref i, ruleIndex); break; }
            }
            if (ruleTotal == 0) continue;
            raw += ruleTotal;
            var at = decay.FindIndex(d => d.Key == halfLife);
            if (at < 0) decay.Add(KeyValuePair.Create(halfLife, ruleTotal));
            else decay[at] = KeyValuePair.Create(halfLife, decay[at].Value + ruleTotal);
        }
        decay.Sort((a, b) => a.Key.CompareTo(b.Key));
        if (awards is not null) awards.Sort((a, b) => b.OccurredAt.CompareTo(a.OccurredAt));
        return new EngagementResult(raw, EngagementResult.Normalize(raw, model.EngagementScale), decay, (IReadOnlyList<EngagementAward>?)awards ?? []);
    }

    /// <summary>Once a lifetime cap is used up, the rule's remaining hits cannot count: skip them.</summary>
    private static void SkipRule(RuleHit[] ordered, ref int i, int rule)
    {
        while (i < ordered.Length && ordered[i].Rule == rule) i++;
    }

    private sealed class ByRuleThenTime : IComparer<RuleHit>
    {
        public static readonly ByRuleThenTime Instance = new();

        public int Compare(RuleHit a, RuleHit b)
        {
            var c = a.Rule.CompareTo(b.Rule);
            if (c != 0) return c;
            c = a.OccurredAt.CompareTo(b.OccurredAt);
            return c != 0 ? c : a.ActivityId.CompareTo(b.ActivityId);
        }
    }

    /// <summary>
    /// Activities that are facts for the timeline but never engagement, whatever a model's rules say: a mail-privacy
    /// proxy fetching an email's images (<c>email_prefetched</c>) is a machine, not the person, even for a rule that
    /// matches any activity.
    /// </summary>
    public static readonly IReadOnlySet<string> NeverScored = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "email_prefetched" };

    /// <summary>The indexes of the engagement rules an activity satisfies.</summary>
    /// <remarks>Types are compared as <see cref="EventNames"/> reads them, so "Webinar Attended" meets a webinar_attended rule.</remarks>
    public static List<int> Hits(ScoringModel model, string type, IFieldSource activity)
    {
        var hits = new List<int>();
        var (scoredType, implied) = EventNames.AsScored(type);
        if (NeverScored.Contains(scoredType)) return hits;
        var fields = new EventNames.Scored(activity, scoredType, implied);
        for (var r = 0; r < model.Engagement.Count; r++)
        {
            var rule = model.Engagement[r];
            if (rule.MatchesType(type) && rule.When.All(c => c.Holds(fields))) hits.Add(r);
        }
        return hits;
    }
}
