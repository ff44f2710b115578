namespace Tandem.Server.Notifications.InApp;

/// <summary>
/// The kinds of notification a person chooses a channel for. Each outbox event belongs to one kind; the events of a
/// kind are the ones its label promises, so a choice made on the profile page covers what the person expects.
/// </summary>
internal static class NotificationKinds
{
    public sealed record Kind(string Code, string Label, string Description);

    public const string Assigned = "assigned";
    public const string SlaReminder = "sla_reminder";
    public const string SlaBreach = "sla_breach";
    public const string Mentioned = "mentioned";
    public const string ImportFinished = "import_finished";
    public const string RescoreFinished = "rescore_finished";
    public const string LeadActivity = "lead_activity";
    public const string Plan = "plan";
    public const string Other = "other";

    public static readonly IReadOnlyList<Kind> All =
    [
        new(Assigned, "Assigned to you", "A lead is routed or handed to you, or, as a manager, to your team."),
        new(SlaReminder, "SLA reminders", "A lead's first touch or decision is coming due."),
        new(SlaBreach, "SLA breaches", "A promise on your lead or on your team's was missed."),
        new(Mentioned, "Mentions", "A colleague mentions you with @ in a note on a lead."),
        new(ImportFinished, "Import finished", "A file you imported has finished, or failed."),
        new(RescoreFinished, "Re-score finished", "Everyone has been scored again under a model you published."),
        new(LeadActivity, "Your leads' activity", "A lead replied, stalled or came back to life; a nurture step asked you to act."),
        new(Plan, "Plan pacing", "A month's plan is behind its pace."),
        new(Other, "Everything else", "Any other notification addressed to you."),
    ];

    public static bool IsKnown(string code) => All.Any(k => k.Code == code);

    /// <summary>The kind an outbox event belongs to.</summary>
    public static string Of(string @event) => @event switch
    {
        Outbox.LeadAssigned or Outbox.LeadUnassigned => Assigned,
        SlaEvents.Reminder => SlaReminder,
        SlaEvents.Breached or SlaEvents.Escalated => SlaBreach,
        InAppEvents.NoteMentioned => Mentioned,
        InAppEvents.ImportFinished => ImportFinished,
        InAppEvents.RescoreFinished => RescoreFinished,
        Outbox.LeadReplied or Stall.StallEvents.LeadStalled or Stall.StallEvents.LeadRevived or "nurture.notify" => LeadActivity,
        Planning.PacingCheck.BehindPace => Plan,
        _ => Other,
    };
}

/// <summary>The SLA's notification events, named once.</summary>
internal static class SlaEvents
{
    public const string Reminder = "sla.reminder";
    public const string Breached = "sla.breached";
    public const string Escalated = "sla.escalated";
}

/// <summary>Events that exist for the people they tell: a mention in a note, an import or a re-score that finished.</summary>
internal static class InAppEvents
{
    public const string NoteMentioned = "note.mentioned";
    public const string ImportFinished = "import.finished";
    public const string RescoreFinished = "scoring.rescore_finished";
}
