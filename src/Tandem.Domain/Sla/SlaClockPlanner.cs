namespace Tandem.Domain.Sla;

public sealed record PlannedReminder(double Fraction, DateTimeOffset At);

/// <summary>A clock to start: when it is due, and when to remind its owner on the way.</summary>
public sealed record PlannedClock(SlaClockKind Kind, DateTimeOffset StartedAt, DateTimeOffset DueAt, int? AttemptsRequired,
    IReadOnlyList<PlannedReminder> Reminders);

/// <summary>Turns a policy into the clocks that start when a lead is assigned.</summary>
public static class SlaClockPlanner
{
    public static IReadOnlyList<PlannedClock> Plan(SlaPolicy policy, BusinessCalendar calendar, DateTimeOffset assignedAt)
    {
        var clocks = new List<PlannedClock>();
        if (policy.FirstTouch is { } touch) clocks.Add(Clock(SlaClockKind.FirstTouch, touch, null));
        if (policy.Decision is { } decision) clocks.Add(Clock(SlaClockKind.Decision, decision, null));
        if (policy.Attempts is { } attempts) clocks.Add(Clock(SlaClockKind.Attempts, attempts.Over, attempts.Minimum));
        return clocks;

        PlannedClock Clock(SlaClockKind kind, BusinessDuration within, int? required)
        {
            var due = calendar.Add(assignedAt, within);
            return new PlannedClock(kind, assignedAt, due, required, Reminders(calendar, assignedAt, due, policy.ReminderFractions));
        }
    }

    /// <summary>
    /// A reminder at fraction f is due when f of the clock's business time has passed: 50% of "1 business hour"
    /// given on Saturday is Monday 09:30, not Saturday half an hour later.
    /// </summary>
    public static IReadOnlyList<PlannedReminder> Reminders(BusinessCalendar calendar, DateTimeOffset start, DateTimeOffset due,
        IEnumerable<double> fractions)
    {
        var span = calendar.Between(start, due);
        return fractions.Where(f => f is > 0 and < 1).Distinct().Order()
            .Select(f => new PlannedReminder(f, calendar.AddTime(start, TimeSpan.FromTicks((long)(span.Ticks * f)))))
            .ToList();
    }
}
