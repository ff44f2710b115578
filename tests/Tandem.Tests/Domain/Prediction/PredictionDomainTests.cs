using Tandem.Domain.Prediction;

namespace Tandem.Tests.Domain.Prediction;

public class PredictionDomainTests
{
    private const long Day = 86_400_000;
    private static readonly long Window = 60 * Day;

    [Fact]
    public void A_young_lead_without_an_outcome_is_open_never_a_negative()
    {
        var now = 1_000 * Day;
        Assert.Equal(OutcomeLabel.Open, OutcomeRules.Decide(new OutcomeFacts(now - 59 * Day, null, null), now, Window).Label);
        var matured = OutcomeRules.Decide(new OutcomeFacts(now - 61 * Day, null, null), now, Window);
        Assert.Equal((OutcomeLabel.Negative, now), (matured.Label, matured.AsOf));
        // Disqualified or lost before the window ran out: a negative at once, as of that instant.
        Assert.Equal(new Outcome(OutcomeLabel.Negative, now - 5 * Day), OutcomeRules.Decide(new OutcomeFacts(now - 10 * Day, null, now - 5 * Day), now, Window));
        // Converting wins, whenever it happened, and the features are read as of the conversion.
        Assert.Equal(new Outcome(OutcomeLabel.Positive, now - 3 * Day), OutcomeRules.Decide(new OutcomeFacts(now - 200 * Day, now - 3 * Day, now - 100 * Day), now, Window));
    }

    [Fact]
    public void An_activity_after_the_outcome_never_counts()
    {
        var person = new PersonSnapshot(1, 0, new Dictionary<string, string?>(),
            [new ActivityFact("page_view", 2 * Day, 1), new ActivityFact("page_view", 5 * Day, 1), new ActivityFact("page_view", 9 * Day, 1)]);
        var schema = new FeatureSchema([], [], ["page_view"]);
        Assert.Equal([2f, 5f], schema.Encode(person, asOf: 5 * Day));
        Assert.Equal([3f, 9f], schema.Encode(person, asOf: 10 * Day));
        Assert.Equal("2", schema.Describe(person, FeatureSchema.ActivityGroup("page_view"), 5 * Day));
    }

    [Fact]
    public void Rare_and_unknown_values_have_their_own_slots_and_excluded_fields_are_left_out()
    {
        var people = Enumerable.Range(0, 40).Select(i => new PersonSnapshot(i, 0, new Dictionary<string, string?>
        {
            ["channel"] = i < 20 ? "Google" : i < 35 ? "Reference" : i == 39 ? null : "Fax " + i,
            ["custom.visits"] = (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["custom.tags"] = "Will revert",
            ["custom.asymmetrique_activity_score"] = "15",
        }, [])).ToList();
        var schema = FeatureSchema.Fit(people, new FeatureOptions(["custom.tags", "custom.asymmetrique_*"]));
        Assert.Equal(["channel"], schema.Categorical.Select(c => c.Name));
        Assert.Equal(["google", "reference"], schema.Categorical[0].Values);
        Assert.Equal(["custom.visits"], schema.Numeric);
        Assert.Equal([0f, 0f, 1f, 0f, 1f], schema.Encode(people[36], 0)); // "Fax 36" is rare → (other)
        Assert.Equal([0f, 0f, 0f, 1f, 4f], schema.Encode(people[39], 0)); // no value → (unknown)
        Assert.Equal([1f, 0f, 0f, 0f, 0f], schema.Encode(people[0] with { Fields = new Dictionary<string, string?> { ["channel"] = "GOOGLE", ["custom.visits"] = "0" } }, 0));
    }

    [Fact]
    public void Reasons_sum_to_the_difference_from_the_base_rate()
    {
        var contributions = new Dictionary<string, double> { ["channel"] = 0.9, ["custom.occupation"] = -0.3, ["activity:page_view"] = 0.2, ["city"] = 0.01 };
        var reasons = Reasons.Explain(contributions, f => f == "channel" ? "Reference" : "x", raw: 1.0, rawAtBaseRate: -0.2, probability: 0.71, baseRate: 0.38, top: 3);
        Assert.Equal(0.71 - 0.38, reasons.Sum(r => r.Points), 9);
        Assert.Equal("channel", reasons[0].Field);
        Assert.Equal("Channel = Reference: +25 points of probability", reasons[0].Text);
        Assert.True(reasons[1].Points < 0);
        Assert.Equal(Reasons.OtherFactors, reasons[^1].Field);
    }

    [Fact]
    public void Auc_lift_and_calibration_are_computed_from_scores_and_outcomes()
    {
        Assert.Equal(1.0, ModelMetrics.Auc([0.9, 0.8, 0.2, 0.1], [true, true, false, false]));
        Assert.Equal(0.0, ModelMetrics.Auc([0.1, 0.2, 0.8, 0.9], [true, true, false, false]));
        Assert.Equal(0.5, ModelMetrics.Auc([0.5, 0.5, 0.5, 0.5], [true, false, true, false]));
        var scores = Enumerable.Range(0, 100).Select(i => i / 100.0).ToList();
        var outcomes = scores.Select(s => s >= 0.9).ToList();
        var e = ModelMetrics.Evaluate(scores, outcomes, isProbability: true);
        Assert.Equal(10.0, e.TopDecileLift, 9);
        Assert.Equal(0.1, e.BaseRate, 9);
        Assert.Equal(10, e.Calibration.Count);
        // Tied scores across the decile boundary are shared out: a flat score has no lift.
        Assert.Equal(1.0, ModelMetrics.Evaluate(scores.Select(_ => 1.0).ToList(), outcomes, isProbability: false).TopDecileLift, 9);
    }

    [Fact]
    public void The_holdout_is_the_newest_fifth_when_dates_spread_and_a_stable_fifth_otherwise()
    {
        var dated = Enumerable.Range(1, 100).Select(i => ((long)i, i * Day)).ToList();
        var (timeOrdered, heldOut) = Holdout.Split(dated);
        Assert.True(timeOrdered);
        Assert.Equal(Enumerable.Range(81, 20).Select(i => (long)i).ToHashSet(), heldOut);
        var undated = Enumerable.Range(1, 1000).Select(i => ((long)i, 5L)).ToList();
        var (ordered, fifth) = Holdout.Split(undated);
        Assert.False(ordered);
        Assert.InRange(fifth.Count, 150, 250);
        Assert.Equal(fifth, Holdout.Split(undated).HeldOut);
    }
}
