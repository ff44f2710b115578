using Tandem.Server.Activities;
using Tandem.Server.Web.People;

namespace Tandem.Tests.Web;

/// <summary>How timeline entries read on the person page: in words, never as raw ids or JSON.</summary>
public sealed class TimelineTextTests
{
    private static TimelineText.Entry Describe(string type, string properties) =>
        TimelineText.Describe(new ActivityRow { Type = type, Source = ActivitySources.System, Properties = properties });

    [Fact]
    public void A_routing_assignment_names_the_rep_and_says_why()
    {
        var e = Describe("assigned", """{"ownerId":4,"ownerName":"Riley Rep","teamId":2,"teamName":"Inbound SDR","previousOwnerId":null,"decisionId":7,"trigger":"mql","explanation":"round robin: Riley was next","by":"MQL definition (scoring model v1)"}""");

        Assert.Equal("Assigned to Riley Rep (Inbound SDR)", e.Headline);
        Assert.Equal("round robin: Riley was next · by MQL definition (scoring model v1)", e.Detail);
    }

    [Fact]
    public void A_breach_reads_as_the_promise_missed_with_its_policy_due_time_and_consequence()
    {
        var e = Describe("sla_breached",
            """{"clockId":2,"kind":"decision","policyId":3,"policy":"MQL grade A","dueAt":"2026-11-30T14:00:00+00:00","action":"escalated"}""");

        Assert.Equal("Missed the accept-or-reject promise", e.Headline);
        Assert.Equal("MQL grade A · was due Nov 30, 14:00 UTC · manager notified", e.Detail);
        Assert.DoesNotContain("clockId", e.Detail);
    }
}
