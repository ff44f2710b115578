using Tandem.Domain.Lifecycle;
using Tandem.Domain.Reports;

namespace Tandem.Tests.Domain;

public sealed class ReportsMathTests
{
    [Fact]
    public void Entering_a_later_funnel_stage_reaches_every_earlier_one_as_implied_and_an_exit_only_itself()
    {
        Assert.Equal([(Stage.Lead, true), (Stage.MQL, true), (Stage.SAL, true), (Stage.SQL, false)], Funnel.Reached(Stage.SQL));
        Assert.Equal([(Stage.Disqualified, false)], Funnel.Reached(Stage.Disqualified));
        Assert.Empty(Funnel.Reached(Stage.Subscriber));
    }

    [Fact]
    public void Percentiles_interpolate_between_the_nearest_values_and_a_rate_of_nobody_is_unknown()
    {
        Assert.Equal(2.5, Percentiles.Median([4, 1, 3, 2]));
        Assert.Equal(9.1, Percentiles.P90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])!.Value, 6);
        Assert.Null(Percentiles.Median([]));
        Assert.Null(Funnel.Rate(0, 0));
        Assert.Equal(0.3333, Funnel.Rate(1, 3));
    }

    [Fact]
    public void A_pause_longer_than_thirty_minutes_starts_a_new_session_with_the_channel_of_its_first_view()
    {
        const long minute = 60_000;
        var sessions = Sessions.Of([
            new("a", false, 0, "paid_search"), new("a", false, 30 * minute, null), new("a", false, 61 * minute, null), new("b", true, 5 * minute, "email"),
        ]);
        Assert.Equal(3, sessions.Count);
        Assert.Equal([("a", "paid_search", 2), ("a", "direct", 1), ("b", "email", 1)],
            sessions.OrderBy(s => s.Visitor).ThenBy(s => s.StartedAt).Select(s => (s.Visitor, s.Channel, s.PageViews)));
    }
}
