using Tandem.Domain.Reporting;

namespace Tandem.Tests.Domain.Reporting;

public class CreditSplitTests
{
    private const long Day = 24L * 60 * 60 * 1000;

    // Five touches on days 0, 2, 4, 6 and 8; the lead was created on day 2, the opportunity on day 6, the outcome is on day 10.
    private static readonly Journey FiveTouches = new([0, 2 * Day, 4 * Day, 6 * Day, 8 * Day], 10 * Day, 2 * Day, 6 * Day);

    private static void Equal(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 9);
    }

    [Fact]
    public void First_and_last_touch_give_everything_to_one_touch()
    {
        Equal([1, 0, 0, 0, 0], CreditSplit.Split(CreditModel.FirstTouch, FiveTouches));
        Equal([0, 0, 0, 0, 1], CreditSplit.Split(CreditModel.LastTouch, FiveTouches));
    }

    [Fact]
    public void Linear_shares_equally() => Equal([0.2, 0.2, 0.2, 0.2, 0.2], CreditSplit.Split(CreditModel.Linear, FiveTouches));

    [Fact]
    public void U_shaped_gives_40_percent_to_first_and_lead_creation_touches_and_shares_20_percent()
        => Equal([0.4, 0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3], CreditSplit.Split(CreditModel.UShaped, FiveTouches));

    [Fact]
    public void W_shaped_gives_30_percent_to_first_lead_creation_and_opportunity_touches_and_shares_10_percent()
        => Equal([0.3, 0.3, 0.05, 0.3, 0.05], CreditSplit.Split(CreditModel.WShaped, FiveTouches));

    [Fact]
    public void W_shaped_before_any_opportunity_is_U_shaped()
    {
        var mql = FiveTouches with { OpportunityAt = null };
        Equal(CreditSplit.Split(CreditModel.UShaped, mql), CreditSplit.Split(CreditModel.WShaped, mql));
    }

    [Fact]
    public void Time_decay_halves_the_weight_of_a_touch_each_half_life_earlier()
    {
        // Touches 8, 6, 4, 2 and 0 days before the outcome with a 2-day half-life weigh 1/32, 1/16, 1/8, 1/4 and 1/2.
        var shares = CreditSplit.Split(CreditModel.TimeDecay, FiveTouches, TimeSpan.FromDays(2));
        Equal([1 / 31.0, 2 / 31.0, 4 / 31.0, 8 / 31.0, 16 / 31.0], shares);
    }

    [Fact]
    public void Touches_after_the_outcome_earn_nothing()
    {
        var mqlOnDay5 = FiveTouches with { OutcomeAt = 5 * Day, OpportunityAt = null };
        Equal([0, 0, 1, 0, 0], CreditSplit.Split(CreditModel.LastTouch, mqlOnDay5));
        Equal([1 / 3.0, 1 / 3.0, 1 / 3.0, 0, 0], CreditSplit.Split(CreditModel.Linear, mqlOnDay5));
    }

    [Fact]
    public void Two_touches_U_shaped_are_half_and_half_and_one_touch_takes_everything()
    {
        Equal([0.5, 0.5], CreditSplit.Split(CreditModel.UShaped, new Journey([0, Day], 2 * Day, Day, null)));
        foreach (var model in CreditModels.All) Equal([1], CreditSplit.Split(model, new Journey([Day], 2 * Day, Day, 2 * Day)));
    }

    [Fact]
    public void A_touch_that_is_first_and_lead_creation_at_once_gets_both_shares()
        // Lead created with the first touch: it is the first and lead-creation touch (80%), the other two share 20%.
        => Equal([0.8, 0.1, 0.1], CreditSplit.Split(CreditModel.UShaped, new Journey([0, Day, 2 * Day], 3 * Day, 0, null)));

    [Fact]
    public void An_outcome_with_no_touch_before_it_gets_no_shares() =>
        Assert.All(CreditSplit.Split(CreditModel.Linear, new Journey([5 * Day], Day, 0, null)), s => Assert.Equal(0, s));

    [Fact]
    public void Every_model_shares_exactly_one_unit_per_converted_outcome()
    {
        var random = new Random(14);
        for (var run = 0; run < 500; run++)
        {
            var count = random.Next(1, 12);
            var times = Enumerable.Range(0, count).Select(_ => (long)random.Next(0, 60) * Day / 2).Order().ToList();
            var outcome = times[random.Next(count)] + random.Next(0, 3) * Day;
            var lead = (long)random.Next(-2, 60) * Day / 2;
            long? opportunity = random.Next(3) == 0 ? null : (long)random.Next(0, 60) * Day / 2;
            foreach (var model in CreditModels.All)
            {
                var shares = CreditSplit.Split(model, new Journey(times, outcome, lead, opportunity));
                Assert.Equal(1.0, shares.Sum(), 9);
                Assert.All(shares, s => Assert.InRange(s, 0, 1));
            }
        }
    }

    [Theory]
    [InlineData("u-shaped", CreditModel.UShaped)]
    [InlineData("W_SHAPED", CreditModel.WShaped)]
    [InlineData("timedecay", CreditModel.TimeDecay)]
    [InlineData("first-touch", CreditModel.FirstTouch)]
    public void Model_names_parse(string text, CreditModel expected)
    {
        Assert.True(CreditModels.TryParse(text, out var model));
        Assert.Equal(expected, model);
        Assert.False(CreditModels.TryParse("last-click-wins", out _));
    }
}
