using Tandem.Domain.Lifecycle;

namespace Tandem.Domain.Stall;

/// <summary>The owner's touches since the lead was assigned: calls, emails and meetings they logged.</summary>
public sealed record OwnerTouches(int Calls, int Emails, int Meetings)
{
    public static OwnerTouches None { get; } = new(0, 0, 0);

    public int Total => Calls + Emails + Meetings;
}

/// <summary>What the lead itself did since the owner's last touch (or since assignment, with no touch).</summary>
public sealed record LeadSignals(int EmailsOpened, int EmailsClicked, int PagesViewed, int Other)
{
    public static LeadSignals None { get; } = new(0, 0, 0, 0);
}

/// <summary>
/// What a stall rule needs to know about one lead, gathered by the sweep in one set-based read. Instants are UTC.
/// </summary>
/// <param name="StageReason">The reason code of the move into the current stage (recycled as "lost-deal", say).</param>
/// <param name="IsLostDeal">The lead was recycled because its deal was lost.</param>
/// <param name="PeakEngagement">The highest engagement score the lead has had.</param>
public sealed record StallFacts(
    long PersonId,
    Stage Stage,
    DateTimeOffset StageChangedAt,
    string? StageReason,
    bool IsLostDeal,
    long? OwnerId,
    string? OwnerName,
    DateTimeOffset? OwnerAssignedAt,
    long? TeamId,
    string? FitGrade,
    string? Source,
    int? Engagement,
    int? PeakEngagement,
    DateTimeOffset? ScoredAt,
    DateTimeOffset? LastOwnerTouchAt,
    DateTimeOffset? LastLeadActivityAt,
    OwnerTouches Touches,
    LeadSignals SignalsSinceTouch);
