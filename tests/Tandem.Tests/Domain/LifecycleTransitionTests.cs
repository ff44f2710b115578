using Tandem.Domain.Lifecycle;

namespace Tandem.Tests.Domain;

public class LifecycleTransitionTests
{
    private static TransitionDecision Move(Stage? from, Stage to, string? reason = null) =>
        LifecycleTransitions.Decide(from, to, reason, ReasonCodes.Default);

    [Theory]
    [InlineData(Stage.Lead, Stage.MQL)]
    [InlineData(Stage.Subscriber, Stage.SQL)]
    [InlineData(Stage.MQL, Stage.Customer)]
    public void Forward_moves_may_skip_stages(Stage from, Stage to) => Assert.True(Move(from, to).IsAllowed);

    [Theory]
    [InlineData(Stage.SQL, Stage.MQL)]
    [InlineData(Stage.Customer, Stage.Lead)]
    [InlineData(Stage.SAL, Stage.Subscriber)]
    public void Backward_moves_are_refused_naming_both_stages(Stage from, Stage to)
    {
        var decision = Move(from, to);
        Assert.False(decision.IsAllowed);
        Assert.False(decision.IsInvalidInput);
        Assert.Contains(from.ToString(), decision.Reason);
        Assert.Contains(to.ToString(), decision.Reason);
    }

    [Fact]
    public void Backward_is_possible_through_recycled()
    {
        Assert.True(Move(Stage.SQL, Stage.Recycled, "no-response").IsAllowed);
        Assert.True(Move(Stage.Recycled, Stage.MQL).IsAllowed);
    }

    [Theory]
    [InlineData(Stage.Recycled)]
    [InlineData(Stage.Disqualified)]
    public void Side_stages_need_a_reason_code(Stage to)
    {
        var decision = Move(Stage.MQL, to);
        Assert.True(decision.IsInvalidInput);
        Assert.Equal("reasonCode", decision.Field);
    }

    [Fact]
    public void Unknown_reason_code_is_refused_listing_the_allowed_ones()
    {
        var decision = Move(Stage.MQL, Stage.Disqualified, "meh");
        Assert.True(decision.IsInvalidInput);
        Assert.Contains("bad-fit", decision.Reason);
    }

    [Fact]
    public void Reason_codes_come_from_configuration()
    {
        var codes = new ReasonCodes(new Dictionary<Stage, IReadOnlyList<string>> { [Stage.Disqualified] = ["gdpr-request"] });
        Assert.True(LifecycleTransitions.Decide(Stage.Lead, Stage.Disqualified, "gdpr-request", codes).IsAllowed);
        Assert.False(LifecycleTransitions.Decide(Stage.Lead, Stage.Disqualified, "bad-fit", codes).IsAllowed);
    }

    [Fact]
    public void Disqualified_people_come_back_only_through_recycled()
    {
        Assert.False(Move(Stage.Disqualified, Stage.MQL).IsAllowed);
        Assert.True(Move(Stage.Disqualified, Stage.Recycled, "not-ready").IsAllowed);
    }

    [Fact]
    public void Moving_to_the_current_stage_is_refused() => Assert.False(Move(Stage.MQL, Stage.MQL).IsAllowed);

    [Fact]
    public void A_stage_picker_offers_only_the_moves_the_lifecycle_allows()
    {
        Assert.Equal([Stage.SQL, Stage.Opportunity, Stage.Customer, Stage.Recycled, Stage.Disqualified], LifecycleTransitions.AllowedTargets(Stage.SAL));
        Assert.Equal([Stage.Recycled], LifecycleTransitions.AllowedTargets(Stage.Disqualified));
        Assert.DoesNotContain(Stage.Recycled, LifecycleTransitions.AllowedTargets(Stage.Recycled));
        Assert.Contains(Stage.Subscriber, LifecycleTransitions.AllowedTargets(Stage.Recycled));
    }
}
