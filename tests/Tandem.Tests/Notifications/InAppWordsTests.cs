using Tandem.Server.Notifications;
using Tandem.Server.Notifications.InApp;

namespace Tandem.Tests.Notifications;

/// <summary>What a notification says in the list and where it leads; who a note's @ mentions.</summary>
public sealed class InAppWordsTests
{
    private static readonly IReadOnlyList<Mentions.Candidate> Users =
    [
        new(1, "Riley Chen", "riley.chen@lumen.io"), new(2, "Sam Manager", "sam@lumen.io"), new(3, "Jordan Lee", "jlee@lumen.io"),
        new(4, "Jordan Park", "jpark@lumen.io"),
    ];

    [Fact]
    public void A_mention_names_a_user_by_the_start_of_their_email_or_a_first_name_only_they_have()
    {
        Assert.Equal([2L, 1L], Mentions.Find("@sam can you take this? cc @Riley.", Users));
        Assert.Equal([3L, 1L], Mentions.Find("Asked @jlee, then @riley.chen and @jlee again", Users));
    }

    [Fact]
    public void An_email_address_or_a_first_name_two_users_share_mentions_nobody()
    {
        Assert.Empty(Mentions.Find("They wrote from sam@lumen.io", Users));
        Assert.Empty(Mentions.Find("@Jordan please look", Users));
        Assert.Empty(Mentions.Find("no at sign here", Users));
    }

    [Fact]
    public void An_escalated_breach_says_what_the_team_missed_on_which_lead_and_when_it_was_due()
    {
        var words = InAppText.For(SlaEvents.Escalated,
            """{"kind":"decision","policy":"MQL grade A","dueAt":"2026-11-30T14:00:00+00:00","action":"escalated"}""", 9, 41, "Ines Vandelay");

        Assert.Equal("Your team missed accept or reject for Ines Vandelay", words.Title);
        Assert.Equal("Due Nov 30, 14:00 UTC under policy “MQL grade A”; the manager was told.", words.Detail);
        Assert.Equal("/people/41", words.Link);
    }

    [Fact]
    public void A_finished_import_links_to_its_job_with_its_counts_and_a_failed_one_says_why()
    {
        var done = InAppText.For(InAppEvents.ImportFinished,
            """{"jobId":7,"fileName":"fair.csv","status":"completed","created":1200,"updated":30,"unchanged":4,"errors":2}""", 1, null, null);
        var failed = InAppText.For(InAppEvents.ImportFinished, """{"jobId":8,"fileName":"x.csv","status":"failed","failure":"No email column."}""", 1, null, null);

        Assert.Equal(("Import of fair.csv finished", "1,200 created, 30 updated, 4 unchanged, 2 rows with problems.", "/imports/7"), (done.Title, done.Detail, done.Link));
        Assert.Equal(("Import of x.csv failed", "No email column.", "/imports/8"), (failed.Title, failed.Detail, failed.Link));
    }

    [Fact]
    public void An_assignment_reads_as_yours_for_the_owner_and_as_the_reps_for_their_manager()
    {
        const string payload = """{"person":{"id":5,"firstName":"Ines"},"owner":{"id":3,"name":"Riley Chen"},"explanation":"round robin"}""";

        Assert.Equal("New lead for you: Ines", InAppText.For(Outbox.LeadAssigned, payload, 3, 5, null).Title);
        Assert.Equal("Riley Chen got a new lead: Ines Vandelay", InAppText.For(Outbox.LeadAssigned, payload, 2, 5, "Ines Vandelay").Title);
    }

    [Fact]
    public void Every_event_sent_to_a_user_today_belongs_to_a_kind_they_can_choose_for()
    {
        Assert.Equal(NotificationKinds.Assigned, NotificationKinds.Of(Outbox.LeadAssigned));
        Assert.Equal(NotificationKinds.SlaReminder, NotificationKinds.Of(SlaEvents.Reminder));
        Assert.Equal(NotificationKinds.SlaBreach, NotificationKinds.Of(SlaEvents.Escalated));
        Assert.Equal(NotificationKinds.LeadActivity, NotificationKinds.Of("lead.stalled"));
        Assert.Equal(NotificationKinds.Plan, NotificationKinds.Of("plan.behind_pace"));
        Assert.Equal(NotificationKinds.Other, NotificationKinds.Of("something.new"));
        Assert.All(new[] { "assigned", "sla_reminder", "sla_breach", "mentioned", "import_finished", "rescore_finished" },
            k => Assert.True(NotificationKinds.IsKnown(k), k));
    }
}
