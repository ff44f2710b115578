using System.Globalization;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Prediction;
using Tandem.Server.Storage;

namespace Tandem.Server.Prediction;

/// <summary>What to train: the settings' defaults unless a request overrides them.</summary>
internal sealed record TrainRequest(string? TargetStage = null, int? MaturationDays = null, IReadOnlyList<string>? Exclude = null, int Folds = 0);

/// <summary>What training did: refused (too little history, in words), or a stored version, activated or kept with the reason.</summary>
internal sealed record TrainOutcome(bool Trained, bool Activated, long? Version, string Verdict, TrainingReport? Report);

/// <summary>
/// Training, start to end: label everyone by the outcome rules, hold out a fifth (the newest, where dates exist), fit
/// features and learn on the rest, judge the model and the rules model on the same held-out people, and activate the
/// new version only when it beats the active one on that holdout. An activated model predicts everyone at once.
/// </summary>
internal sealed class TrainPrediction(Database db, PredictionModels models, PredictionOptions options, PredictEveryone everyone, TimeProvider clock)
{
    private const double DayMs = 86_400_000;

    private sealed record Labeled(PredictionSubject Subject, bool Positive, long AsOf);

    public async Task<TrainOutcome> RunAsync(TrainRequest request, string by, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var target = request.TargetStage is { } t && Stages.TryParse(t, out var parsed) ? parsed : options.ParsedTarget;
        var maturationDays = request.MaturationDays ?? options.MaturationDays;
        var settings = new PredictionOptions { TargetStage = target.ToString(), LostReason = options.LostReason };
        var subjects = await db.ReadAsync(c => PredictionData.LoadAllAsync(c, null, settings), ct);

        var labeled = new List<Labeled>();
        var open = 0;
        foreach (var s in subjects)
        {
            var outcome = OutcomeRules.Decide(s.Facts, now, (long)(maturationDays * DayMs));
            if (outcome.Label == OutcomeLabel.Open) open++;
            else labeled.Add(new Labeled(s, outcome.Label == OutcomeLabel.Positive, outcome.AsOf));
        }
        var positives = labeled.Count(l => l.Positive);
        var negatives = labeled.Count - positives;
        if (positives < options.MinOutcomes || negatives < options.MinOutcomes)
            return new TrainOutcome(false, false, null, string.Create(CultureInfo.InvariantCulture,
                $"Too little history to learn from: {positives:N0} people reached {target} and {negatives:N0} did not (disqualified, lost, or older than " +
                $"{maturationDays} days without reaching it); at least {options.MinOutcomes:N0} of each are needed. {open:N0} younger leads are still open."), null);

        var (timeOrdered, heldOut) = Holdout.Split(labeled.Select(l => (l.Subject.Snapshot.PersonId, l.Subject.Snapshot.CreatedAt)).ToList());
        var train = labeled.Where(l => !heldOut.Contains(l.Subject.Snapshot.PersonId)).ToList();
        var holdout = labeled.Where(l => heldOut.Contains(l.Subject.Snapshot.PersonId)).ToList();
        var featureOptions = new FeatureOptions(request.Exclude ?? options.Exclusions);

        var (schema, learner, baseRate) = Learn(train, featureOptions);
        var model = new ActiveModel(0, schema, learner, baseRate);
        var predicted = Predictor.Predict(model, holdout.Select(h => h.Subject.Snapshot).ToList(), AsOfOf(holdout));
        var outcomes = holdout.Select(h => h.Positive).ToList();
        var evaluation = ModelMetrics.Evaluate(predicted.Select(p => p.Probability).ToList(), outcomes, isProbability: true);
        var rules = ModelMetrics.Evaluate(holdout.Select(h => h.Subject.RulesScore).ToList(), outcomes, isProbability: false);
        var importance = Importance(model, holdout);

        CrossValidation? cv = null;
        if (request.Folds >= 2) cv = CrossValidate(labeled, featureOptions, request.Folds);

        // The active model is judged on the very same held-out people, with its own features, as of the same instants.
        var active = await db.ReadAsync(c => models.ActiveAsync(c), ct);
        double? activeAuc = null;
        if (active is not null)
        {
            var theirs = Predictor.Predict(active, holdout.Select(h => h.Subject.Snapshot).ToList(), AsOfOf(holdout));
            activeAuc = ModelMetrics.Auc(theirs.Select(p => p.Probability).ToList(), outcomes);
        }
        var activate = activeAuc is null || evaluation.Auc > activeAuc;
        var verdict = activeAuc is null
            ? FormattableString.Invariant($"Activated: the first model (AUC {evaluation.Auc:0.000} on {holdout.Count:N0} held-out people; the rules model {rules.Auc:0.000}).")
            : activate
                ? FormattableString.Invariant($"Activated: AUC {evaluation.Auc:0.000} on {holdout.Count:N0} held-out people beats the active model v{active!.Version}'s {activeAuc:0.000} on the same people.")
                : FormattableString.Invariant($"Kept, not activated: AUC {evaluation.Auc:0.000} on {holdout.Count:N0} held-out people does not beat the active model v{active!.Version}'s {activeAuc:0.000} on the same people.");

        var report = new TrainingReport(positives, negatives, open, train.Count, holdout.Count, timeOrdered, baseRate, evaluation, rules,
            active?.Version, activeAuc, cv, importance, learner.Calibrator.Slope, learner.Calibrator.Offset);
        var windowFrom = train.Min(l => l.Subject.Snapshot.CreatedAt);
        var windowTo = train.Max(l => l.Subject.Snapshot.CreatedAt);
        var bytes = learner.Save();
        var version = await db.WriteAsync(async (c, tx) =>
        {
            var v = await models.InsertAsync(c, tx, now, by, target.ToString(), maturationDays, windowFrom, windowTo, schema, report, bytes, verdict);
            if (activate) await PredictionModels.ActivateAsync(c, tx, v, now);
            return v;
        }, ct);
        if (activate) await everyone.RunAsync(ct);
        return new TrainOutcome(true, activate, version, verdict, report);
    }

    private static Func<PersonSnapshot, long> AsOfOf(IReadOnlyList<Labeled> people)
    {
        var asOf = people.ToDictionary(p => p.Subject.Snapshot.PersonId, p => p.AsOf);
        return s => asOf[s.PersonId];
    }

    private (FeatureSchema Schema, ConversionLearner Learner, double BaseRate) Learn(IReadOnlyList<Labeled> train, FeatureOptions featureOptions)
    {
        var schema = FeatureSchema.Fit(train.Select(l => l.Subject.Snapshot).ToList(), featureOptions);
        var features = train.Select(l => schema.Encode(l.Subject.Snapshot, l.AsOf)).ToList();
        var labels = train.Select(l => l.Positive).ToList();
        return (schema, ConversionLearner.Train(features, labels, schema.Width, options), labels.Count(x => x) / (double)labels.Count);
    }

    private CrossValidation CrossValidate(IReadOnlyList<Labeled> labeled, FeatureOptions featureOptions, int folds)
    {
        var aucs = new List<double>();
        var rulesAucs = new List<double>();
        for (var fold = 0; fold < folds; fold++)
        {
            var test = labeled.Where(l => Holdout.Fold(l.Subject.Snapshot.PersonId, folds) == fold).ToList();
            var train = labeled.Where(l => Holdout.Fold(l.Subject.Snapshot.PersonId, folds) != fold).ToList();
            var (schema, learner, baseRate) = Learn(train, featureOptions);
            var predicted = Predictor.Predict(new ActiveModel(0, schema, learner, baseRate), test.Select(t => t.Subject.Snapshot).ToList(), AsOfOf(test));
            var outcomes = test.Select(t => t.Positive).ToList();
            aucs.Add(ModelMetrics.Auc(predicted.Select(p => p.Probability).ToList(), outcomes));
            rulesAucs.Add(ModelMetrics.Auc(test.Select(t => t.Subject.RulesScore).ToList(), outcomes));
        }
        return new CrossValidation(folds, aucs, aucs.Average(), rulesAucs, rulesAucs.Average());
    }

    /// <summary>Each field's mean absolute contribution over the held-out people: what the model leans on most.</summary>
    private static IReadOnlyList<FeatureImportance> Importance(ActiveModel model, IReadOnlyList<Labeled> holdout)
    {
        var encoded = holdout.Select(h => model.Schema.Encode(h.Subject.Snapshot, h.AsOf)).ToList();
        var scored = model.Learner.Predict(encoded);
        var groups = model.Schema.SlotGroups;
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in scored)
        {
            var byGroup = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var slot = 0; slot < groups.Count && slot < s.Contributions.Length; slot++)
                byGroup[groups[slot]] = byGroup.GetValueOrDefault(groups[slot]) + s.Contributions[slot];
            foreach (var (g, v) in byGroup) totals[g] = totals.GetValueOrDefault(g) + Math.Abs(v);
        }
        return totals.Where(t => t.Value > 0).OrderByDescending(t => t.Value).Take(15)
            .Select(t => new FeatureImportance(t.Key, FeatureSchema.Label(t.Key), Math.Round(t.Value / Math.Max(1, scored.Count), 4))).ToList();
    }
}
