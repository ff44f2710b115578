using System.Security.Cryptography;
using System.Text;

namespace Tandem.Domain.Nurture;

/// <summary>What the scheduler knows about one enrolled person when their step comes due.</summary>
/// <param name="Zone">The person's time zone, or the workspace's when theirs is unknown.</param>
/// <param name="Fields">Profile fields by name (firstName, title, custom.plan…), plus email and stage.</param>
/// <param name="Emails">The emails this enrollment has sent so far, oldest first.</param>
public sealed record EnrollmentFacts(DateTimeOffset Now, TimeZoneInfo Zone, IReadOnlyDictionary<string, string?> Fields, int? Engagement, int? Fit,
    IReadOnlyList<EmailFacts> Emails);

/// <summary>What became of one email of the enrollment: opened by a person (not a privacy proxy), clicked, replied to.</summary>
public sealed record EmailFacts(string StepKey, DateTimeOffset QueuedAt, bool Opened, bool Clicked, bool Replied);

/// <summary>The decision for one due enrollment.</summary>
public abstract record NextAction;

/// <summary>Carry out the step (send, create a task, notify…), then go on to <see cref="Next"/> (null: the program is done).</summary>
public sealed record RunStep(ProgramStep Step, string? Next) : NextAction;

/// <summary>The step is a wait: record it and come back for <see cref="Next"/> at <see cref="At"/>.</summary>
public sealed record WaitThen(DateTimeOffset At, string? Next) : NextAction;

/// <summary>An email step outside the send window: nothing is recorded, the same step comes due again at <see cref="At"/>.</summary>
public sealed record Defer(DateTimeOffset At, string Why) : NextAction;

/// <summary>A branch decided: go to <see cref="To"/> now (null: the program is done).</summary>
public sealed record BranchTo(string? To, bool Matched) : NextAction;

/// <summary>The enrollment ends: an exit step, or no step left (<see cref="ExitReasons.Completed"/>).</summary>
public sealed record ExitWith(string Reason, string? Detail = null) : NextAction;

/// <summary>
/// The pure decision a due enrollment gets: given the definition, the step it stands on and the facts, what to do
/// now. The scheduler carries the decision out and records it; nothing here reads a clock or a database.
/// </summary>
public static class NurturePlanner
{
    public static NextAction Next(ProgramDefinition definition, string? stepKey, EnrollmentFacts facts)
    {
        if (stepKey is null) return new ExitWith(ExitReasons.Completed);
        var step = definition.Step(stepKey);
        if (step is null) return new ExitWith(ExitReasons.Completed, $"Step '{stepKey}' is not in this version.");
        return step switch
        {
            EmailStep when definition.SendWindow is { } window && !NurtureTime.IsOpen(window, facts.Now, facts.Zone) =>
                new Defer(NurtureTime.NextOpening(window, facts.Now, facts.Zone), "outside the send window"),
            WaitStep w => new WaitThen(NurtureTime.Until(w.Wait, facts.Now, facts.Zone), definition.After(w)),
            BranchStep b => Holds(b.If, facts) is var matched && matched
                ? new BranchTo(b.Then ?? definition.After(b), true)
                : new BranchTo(b.Else ?? definition.After(b), false),
            ExitStep x => new ExitWith(ExitReasons.ExitStep, x.Reason),
            _ => new RunStep(step, definition.After(step)),
        };
    }

    public static bool Holds(BranchCondition condition, EnrollmentFacts facts) => condition switch
    {
        EmailCondition e => (e.Of == EmailScope.Previous ? facts.Emails.OrderBy(m => m.QueuedAt).TakeLast(1) : facts.Emails).Any(m => e.Fact switch
        {
            EmailFact.Opened => m.Opened,
            EmailFact.Clicked => m.Clicked,
            _ => m.Replied,
        }),
        ScoreCondition s => (s.Score == ScoreKind.Engagement ? facts.Engagement : facts.Fit) is { } score && score >= s.AtLeast,
        FieldCondition f => facts.Fields.GetValueOrDefault(f.Field) is { } value && (f.Equal is not null
            ? string.Equals(value.Trim(), f.Equal, StringComparison.OrdinalIgnoreCase)
            : value.Contains(f.Contains!, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };
}

/// <summary>The holdout: a fixed share of entrants kept out of a program's emails as the control group.</summary>
public static class Holdout
{
    /// <summary>
    /// Deterministic per person and program — the same person is always in or always out of one program's holdout,
    /// whichever server decides and however often — and independent between programs.
    /// </summary>
    public static bool IsHeldOut(long personId, long programId, int percent)
    {
        if (percent <= 0) return false;
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes($"{programId}:{personId}"));
        return BitConverter.ToUInt32(hash, 0) % 100 < (uint)percent;
    }
}

/// <summary>Local time in a person's zone: waits and send windows.</summary>
public static class NurtureTime
{
    public static DateTimeOffset Until(Wait wait, DateTimeOffset now, TimeZoneInfo zone) => wait switch
    {
        WaitFor f => now + f.Duration,
        WaitBusinessDays b => AddBusinessDays(now, b.Days, zone),
        WaitUntil u => NextWeekdayAt(now, u.Weekday, u.Time, zone),
        _ => now,
    };

    /// <summary>The same local time of day, <paramref name="days"/> working days (Monday to Friday) later; from a weekend, Monday counts as the first.</summary>
    public static DateTimeOffset AddBusinessDays(DateTimeOffset now, int days, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var date = DateOnly.FromDateTime(local);
        for (var left = days; left > 0;)
        {
            date = date.AddDays(1);
            if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) left--;
        }
        return AtLocal(date, TimeOnly.FromDateTime(local), zone);
    }

    /// <summary>The next <paramref name="weekday"/> at <paramref name="time"/> in the zone, strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextWeekdayAt(DateTimeOffset now, DayOfWeek weekday, TimeOnly time, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var i = 0; i <= 7; i++)
        {
            var date = today.AddDays(i);
            if (date.DayOfWeek != weekday) continue;
            var at = AtLocal(date, time, zone);
            if (at > now) return at;
        }
        return AtLocal(today.AddDays(14), time, zone); // unreachable: within eight days the weekday comes round
    }

    public static bool IsOpen(SendWindow window, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        return window.Days.Contains(local.DayOfWeek) && time >= window.From && time < window.To;
    }

    /// <summary>The next instant the window opens (or <paramref name="now"/> when it is open).</summary>
    public static DateTimeOffset NextOpening(SendWindow window, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (IsOpen(window, now, zone)) return now;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var i = 0; i <= 8; i++)
        {
            var date = today.AddDays(i);
            if (!window.Days.Contains(date.DayOfWeek)) continue;
            var at = AtLocal(date, window.From, zone);
            if (at > now) return at;
        }
        return now + TimeSpan.FromDays(1);
    }

    /// <summary>
    /// A local date and time as an instant. A time the clocks skip (spring forward) moves on by the gap; a time that
    /// happens twice (fall back) is its first occurrence.
    /// </summary>
    public static DateTimeOffset AtLocal(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
