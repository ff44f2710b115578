using Tandem.Domain.Scoring;
using Tandem.Server.Scoring;

namespace Tandem.Tests.Domain.Scoring;

/// <summary>Regression: a tracked "Demo Requested" or "Webinar Attended" earned nothing under the built-in model's snake_case rules.</summary>
public class EventNamesTests
{
    private static readonly ScoringModel Model = ScoringModels.BuiltIn("b2b-default");

    private static IEnumerable<string> RulesHit(string type, string properties = "{}") =>
        EngagementScorer.Hits(Model, type, ActivityFields.Parse(type, null, null, properties)).Select(i => Model.Engagement[i].Id);

    [Theory]
    [InlineData("Demo Requested", "demo_requested")]
    [InlineData("demo-requested", "demo_requested")]
    [InlineData("DemoRequested", "demo_requested")]
    [InlineData("  WEBINAR_ATTENDED ", "webinar_attended")]
    [InlineData("webinar.attended", "webinar_attended")]
    [InlineData("Page Viewed: Pricing", "page_viewed_pricing")]
    [InlineData("form_submitted", "form_submitted")]
    public void Names_are_compared_in_one_spelling(string name, string canonical) =>
        Assert.Equal(canonical, EventNames.Canonical(name));

    [Theory]
    [InlineData("Demo Requested")]
    [InlineData("demo-requested")]
    [InlineData("demo_requested")]
    [InlineData("Requested Demo")]
    public void A_demo_request_event_counts_as_the_demo_request_form(string name)
    {
        Assert.Equal(RulesHit("form_submitted", """{"form":"demo-request"}"""), RulesHit(name));
        Assert.Contains("demo-request", RulesHit(name));
    }

    [Theory]
    [InlineData("Form Submitted")]
    [InlineData("form-submitted")]
    [InlineData("FormSubmitted")]
    public void A_form_submitted_event_counts_as_a_form(string name) =>
        Assert.Equal(["form-fill"], RulesHit(name));

    [Fact]
    public void A_form_submitted_event_naming_the_demo_form_is_a_demo_request() =>
        Assert.Equal(["demo-request"], RulesHit("Form Submitted", """{"form":"demo-request"}"""));

    [Theory]
    [InlineData("Webinar Attended")]
    [InlineData("webinar-attended")]
    [InlineData("Attended Webinar")]
    public void A_webinar_attended_event_counts_as_a_webinar(string name) =>
        Assert.Equal(["webinar"], RulesHit(name));

    [Fact]
    public void A_model_that_names_the_event_as_it_is_sent_still_matches_it()
    {
        var model = Model with { Engagement = [new EngagementRule("mine", "Asked for a demo", "Demo Requested", [], 50)] };

        Assert.Equal([0], EngagementScorer.Hits(model, "Demo Requested", ActivityFields.Parse("Demo Requested", null, null, "{}")));
        Assert.Equal([0], EngagementScorer.Hits(model, "demo_requested", ActivityFields.Parse("demo_requested", null, null, "{}")));
    }

    [Fact]
    public void An_unrelated_event_earns_nothing() => Assert.Empty(RulesHit("Invoice Paid"));
}
