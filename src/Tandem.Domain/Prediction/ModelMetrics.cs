namespace Tandem.Domain.Prediction;

/// <summary>One bin of a calibration plot: the people whose predicted probability fell in [From, To).</summary>
public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);

/// <summary>A point of the ROC curve.</summary>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate);

/// <summary>How well a ranking (a model's probability, or the rules model's score) separates one set of outcomes.</summary>
/// <param name="Brier">Mean squared error of the probability; null for a score that is not a probability.</param>
/// <param name="TopDecileLift">Conversion among the top tenth by score, over the base rate.</param>
public sealed record Evaluation(int People, int Positives, double BaseRate, double Auc, double? Brier, double TopDecileRate, double TopDecileLift,
    IReadOnlyList<CalibrationBin> Calibration, IReadOnlyList<RocPoint> Roc, IReadOnlyList<double> LiftByDecile);

/// <summary>The figures a trained model is judged by; pure arithmetic over scores and outcomes.</summary>
public static class ModelMetrics
{
    public static Evaluation Evaluate(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes, bool isProbability)
    {
        if (scores.Count != outcomes.Count) throw new ArgumentException("One score per outcome.");
        var n = scores.Count;
        var positives = outcomes.Count(o => o);
        var baseRate = n == 0 ? 0 : (double)positives / n;
        double? brier = isProbability && n > 0 ? scores.Select((s, i) => Math.Pow(s - (outcomes[i] ? 1 : 0), 2)).Average() : null;
        var deciles = LiftByDecile(scores, outcomes, baseRate);
        var topRate = deciles.Count > 0 ? deciles[0] * baseRate : 0;
        // With one kind of outcome only, no ranking can be judged: it counts as chance.
        var auc = Auc(scores, outcomes);
        return new Evaluation(n, positives, baseRate, double.IsNaN(auc) ? 0.5 : auc, brier, topRate, deciles.Count > 0 ? deciles[0] : 0,
            isProbability ? Calibration(scores, outcomes) : [], Roc(scores, outcomes), deciles);
    }

    /// <summary>The probability that a random positive outranks a random negative (ties count half): the Mann-Whitney statistic.</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositives = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                if (outcomes[order[k]]) { rankSumPositives += averageRank; positives++; }
            start = end + 1;
        }
        var negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSumPositives - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>Conversion in each tenth of the people ranked by score, over the base rate. People tied across a boundary
    /// are shared out in proportion, so a coarse score (a grade) is not flattered or punished by how ties happen to sort.</summary>
    public static IReadOnlyList<double> LiftByDecile(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes, double baseRate)
    {
        var n = scores.Count;
        if (n < 10 || baseRate <= 0) return [];
        var groups = Enumerable.Range(0, n).GroupBy(i => scores[i]).OrderByDescending(g => g.Key)
            .Select(g => (Count: g.Count(), Positives: g.Count(i => outcomes[i]))).ToList();
        var lifts = new List<double>();
        var g = 0; double usedOfGroup = 0;
        for (var d = 0; d < 10; d++)
        {
            double want = n / 10.0, taken = 0, converted = 0;
            while (want - taken > 1e-9 && g < groups.Count)
            {
                var left = groups[g].Count - usedOfGroup;
                var take = Math.Min(left, want - taken);
                taken += take;
                converted += take * groups[g].Positives / groups[g].Count;
                usedOfGroup += take;
                if (groups[g].Count - usedOfGroup <= 1e-9) { g++; usedOfGroup = 0; }
            }
            lifts.Add(taken == 0 ? 0 : converted / taken / baseRate);
        }
        return lifts;
    }

    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> probabilities, IReadOnlyList<bool> outcomes, int bins = 10)
    {
        var result = new List<CalibrationBin>();
        for (var b = 0; b < bins; b++)
        {
            double from = (double)b / bins, to = (double)(b + 1) / bins;
            var members = Enumerable.Range(0, probabilities.Count)
                .Where(i => probabilities[i] >= from && (probabilities[i] < to || (b == bins - 1 && probabilities[i] <= 1))).ToList();
            if (members.Count == 0) continue;
            result.Add(new CalibrationBin(from, to, members.Count, members.Average(i => probabilities[i]), members.Average(i => outcomes[i] ? 1.0 : 0.0)));
        }
        return result;
    }

    /// <summary>The ROC curve at up to 50 thresholds, enough to draw.</summary>
    public static IReadOnlyList<RocPoint> Roc(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes)
    {
        var positives = outcomes.Count(o => o);
        var negatives = outcomes.Count - positives;
        if (positives == 0 || negatives == 0) return [];
        var thresholds = scores.Distinct().OrderByDescending(s => s).ToList();
        var step = Math.Max(1, thresholds.Count / 50);
        var points = new List<RocPoint> { new(0, 0) };
        for (var t = 0; t < thresholds.Count; t += step)
        {
            var threshold = thresholds[t];
            int tp = 0, fp = 0;
            for (var i = 0; i < scores.Count; i++)
                if (scores[i] >= threshold) { if (outcomes[i]) tp++; else fp++; }
            points.Add(new RocPoint((double)fp / negatives, (double)tp / positives));
        }
        points.Add(new RocPoint(1, 1));
        return points;
    }
}

/// <summary>Which people a model learns from and which it is judged on.</summary>
public static class Holdout
{
    public const double DayMs = 86_400_000;

    /// <summary>
    /// The newest fifth by creation date is held out when the dates span at least a day (the model is judged on people
    /// who came after those it learned from, as it will be used); otherwise (a file without dates) a fixed fifth chosen
    /// by a hash of the person's id.
    /// </summary>
    public static (bool TimeOrdered, HashSet<long> HeldOut) Split(IReadOnlyList<(long PersonId, long CreatedAt)> people, double share = 0.2)
    {
        if (people.Count == 0) return (false, []);
        var timeOrdered = people.Max(p => p.CreatedAt) - people.Min(p => p.CreatedAt) >= DayMs;
        if (timeOrdered)
        {
            var take = (int)Math.Round(people.Count * share);
            return (true, people.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.PersonId).Take(take).Select(p => p.PersonId).ToHashSet());
        }
        var folds = (int)Math.Round(1 / share);
        return (false, people.Where(p => Fold(p.PersonId, folds) == 0).Select(p => p.PersonId).ToHashSet());
    }

    /// <summary>A stable fold for a person (SplitMix64 of the id), so consecutive ids spread evenly.</summary>
    public static int Fold(long personId, int folds)
    {
        var z = unchecked((ulong)personId + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z % (ulong)folds);
    }
}
