using Tandem.Domain.Lifecycle;

namespace Tandem.Domain.Sla;

/// <summary>An open clock as the stop rules see it.</summary>
public sealed record OpenClock(SlaClockKind Kind, Stage PolicyStage, DateTimeOffset StartedAt, DateTimeOffset DueAt,
    bool Breached, int? AttemptsRequired);

/// <summary>
/// A clock stopping. <see cref="Reason"/>: touched, decided, attempts_met, progressed (the lead moved past the
/// hand-off, so the promise was kept), closed (recycled or disqualified), reassigned.
/// <see cref="Breach"/> is true when stopping is itself a breach: the promise was kept too late, before the
/// scheduler noticed, or the lead was given up before the minimum attempts.
/// </summary>
public sealed record ClockStop(string Reason, DateTimeOffset At, bool Breach);

/// <summary>Which events stop which clocks.</summary>
public static class SlaClockStops
{
    /// <summary>The activity types that count as a sales attempt to reach the lead.</summary>
    public static readonly IReadOnlySet<string> AttemptTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "call", "email", "meeting" };

    public static bool IsAttempt(string activityType) => AttemptTypes.Contains(activityType);

    /// <param name="firstAttemptAt">The earliest attempt logged since the clock started.</param>
    /// <param name="attempts">Attempts logged since the clock started.</param>
    public static ClockStop? OnAttempts(OpenClock clock, DateTimeOffset firstAttemptAt, DateTimeOffset latestAttemptAt, int attempts) => clock.Kind switch
    {
        SlaClockKind.FirstTouch => new ClockStop("touched", firstAttemptAt, Late(clock, firstAttemptAt)),
        SlaClockKind.Attempts when attempts >= clock.AttemptsRequired => new ClockStop("attempts_met", latestAttemptAt, Late(clock, latestAttemptAt)),
        _ => null,
    };

    /// <param name="attemptsApply">
    /// False when the lead is given up for a reason the policy's attempts minimum does not cover (see
    /// <see cref="AttemptsRule.AppliesTo"/>): the attempts clock then closes without a breach.
    /// </param>
    public static ClockStop? OnStageChange(OpenClock clock, Stage to, DateTimeOffset at, int attempts, bool attemptsApply = true)
    {
        if (to == clock.PolicyStage) return null;
        var givenUp = to is Stage.Recycled or Stage.Disqualified;
        var progressed = to.IsMain() && to > Stage.SAL && to > clock.PolicyStage;
        return clock.Kind switch
        {
            SlaClockKind.Decision => new ClockStop("decided", at, Late(clock, at)),
            // Accepting is not contact; the first touch and attempts clocks keep running for the rep who accepted.
            SlaClockKind.FirstTouch when givenUp => new ClockStop("closed", at, false),
            SlaClockKind.Attempts when givenUp => new ClockStop("closed", at, attemptsApply && !clock.Breached && attempts < clock.AttemptsRequired),
            _ when progressed => new ClockStop("progressed", at, Late(clock, at)),
            _ => null,
        };
    }

    private static bool Late(OpenClock clock, DateTimeOffset at) => !clock.Breached && at > clock.DueAt;
}
