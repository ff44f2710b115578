using Tandem.Domain.Lifecycle;

namespace Tandem.Domain.Nurture;

/// <summary>
/// One version of a nurture program, as data: who enters, the steps they go through, what takes them out, and the
/// guard rails (send window, holdout). Parsed and validated by <see cref="ProgramParser"/>; what happens next to one
/// enrollment is decided by <see cref="NurturePlanner"/>. The program's kind (one program of a kind per person at a
/// time) lives on the program, not on a version, since it decides which programs compete.
/// </summary>
public sealed record ProgramDefinition(
    EntryRules Entry,
    IReadOnlyList<ProgramStep> Steps,
    IReadOnlySet<ExitCriterion> Exits,
    SendWindow? SendWindow,
    int HoldoutPercent)
{
    public ProgramStep? Step(string? key) => key is null ? null : Steps.FirstOrDefault(s => s.Key == key);

    /// <summary>The step after <paramref name="step"/>: its explicit "next", else the one below it in the list, else none (the program is done).</summary>
    public string? After(ProgramStep step)
    {
        if (step.Next is not null) return step.Next;
        var i = Steps.ToList().FindIndex(s => s.Key == step.Key);
        return i >= 0 && i + 1 < Steps.Count ? Steps[i + 1].Key : null;
    }

    public string? FirstStep => Steps.Count > 0 ? Steps[0].Key : null;

    public bool ExitsOn(ExitCriterion criterion) => criterion == ExitCriterion.RemovedByHand || Exits.Contains(criterion);
}

/// <summary>
/// Who enters: a people filter (the people list's filter keys, plus engagement band, campaign and rejection reason),
/// swept periodically and on demand, and/or events that enroll the person they happen to. Both empty: people enter
/// only by hand.
/// </summary>
public sealed record EntryRules(IReadOnlyDictionary<string, string> Filter, IReadOnlyList<EntryEvent> Events)
{
    public static readonly EntryRules None = new(new Dictionary<string, string>(), []);

    public bool HasFilter => Filter.Count > 0;
}

public enum EntryEventType { FormSubmitted, RejectedBySales, Recycled, BecameStage }

/// <summary>An event that enrolls: a form submitted (optionally a named one), a rejection by sales or a recycle (optionally for one reason), a move into a stage.</summary>
public sealed record EntryEvent(EntryEventType Type, string? Form = null, string? Reason = null, Stage? Stage = null)
{
    /// <summary>Whether an event that happened matches this rule; names and reasons compare without regard to case.</summary>
    public bool Matches(EntryEventType type, string? formOrReason, Stage? stage) => Type == type && Type switch
    {
        EntryEventType.FormSubmitted => Form is null || string.Equals(Form, formOrReason, StringComparison.OrdinalIgnoreCase),
        EntryEventType.RejectedBySales or EntryEventType.Recycled => Reason is null || string.Equals(Reason, formOrReason, StringComparison.OrdinalIgnoreCase),
        EntryEventType.BecameStage => Stage == stage,
        _ => false,
    };
}

/// <summary>What takes a person out of a program. Removed by hand always applies.</summary>
public enum ExitCriterion { BecameMql, AcceptedBySales, Replied, Unsubscribed, Bounced, OwnerTouched, RemovedByHand }

/// <summary>The reasons an enrollment ends, as stored in nurture_enrollments.exit_reason.</summary>
public static class ExitReasons
{
    public const string BecameMql = "became_mql";
    public const string AcceptedBySales = "accepted_by_sales";
    public const string Replied = "replied";
    public const string Unsubscribed = "unsubscribed";
    public const string Bounced = "bounced";
    public const string Complained = "complained";
    public const string OwnerTouched = "owner_touched";
    public const string RemovedByHand = "removed_by_hand";
    public const string Suppressed = "suppressed";
    public const string NoConsent = "no_consent";
    public const string NoAddress = "no_address";
    public const string ExitStep = "exit_step";
    public const string Archived = "program_archived";
    public const string Merged = "merged";
    public const string Completed = "completed";
}

public abstract record ProgramStep(string Key, string? Next)
{
    /// <summary>The step's type as written in the definition ("email", "wait"…).</summary>
    public abstract string Type { get; }
}

public sealed record EmailStep(string Key, string? Next, long TemplateId) : ProgramStep(Key, Next)
{
    public override string Type => "email";
}

public sealed record WaitStep(string Key, string? Next, Wait Wait) : ProgramStep(Key, Next)
{
    public override string Type => "wait";
}

/// <summary>Goes to <see cref="Then"/> when the condition holds, else to <see cref="Else"/>; a missing target continues with the step below.</summary>
public sealed record BranchStep(string Key, BranchCondition If, string? Then, string? Else) : ProgramStep(Key, null)
{
    public override string Type => "branch";
}

/// <summary>A task for the person's owner; the title may carry merge fields ({{firstName}}, {{company}}…).</summary>
public sealed record TaskStep(string Key, string? Next, string Title, int DueInHours) : ProgramStep(Key, Next)
{
    public override string Type => "task";
}

public enum NotifyTarget { Owner, Manager }

public sealed record NotifyStep(string Key, string? Next, NotifyTarget To, string Message) : ProgramStep(Key, Next)
{
    public override string Type => "notify";
}

public sealed record WebhookStep(string Key, string? Next, Uri Url) : ProgramStep(Key, Next)
{
    public override string Type => "webhook";
}

/// <summary>Sets a standard field (title, industry…) or a custom one ("custom.nurtured"); a null value clears it.</summary>
public sealed record SetFieldStep(string Key, string? Next, string Field, string? Value) : ProgramStep(Key, Next)
{
    public override string Type => "setField";
}

public sealed record ChangeStageStep(string Key, string? Next, Stage Stage, string? ReasonCode) : ProgramStep(Key, Next)
{
    public override string Type => "changeStage";
}

/// <summary>Moves the person to MQL the usual way, so routing gives them an owner and the SLA clocks start.</summary>
public sealed record HandToSalesStep(string Key, string? Next) : ProgramStep(Key, Next)
{
    public override string Type => "handToSales";
}

public sealed record ExitStep(string Key, string? Reason) : ProgramStep(Key, null)
{
    public override string Type => "exit";
}

public abstract record Wait;

/// <summary>Elapsed time.</summary>
public sealed record WaitFor(TimeSpan Duration) : Wait;

/// <summary>N working days (Monday to Friday in the person's zone), at the same local time of day.</summary>
public sealed record WaitBusinessDays(int Days) : Wait;

/// <summary>Until the next given weekday at the given local time in the person's zone (strictly later than now).</summary>
public sealed record WaitUntil(DayOfWeek Weekday, TimeOnly Time) : Wait;

public abstract record BranchCondition;

public enum EmailFact { Opened, Clicked, Replied }

public enum EmailScope { Previous, Any }

/// <summary>The previous email of the program (or any of its emails) was opened, clicked or replied to.</summary>
public sealed record EmailCondition(EmailFact Fact, EmailScope Of) : BranchCondition;

public enum ScoreKind { Engagement, Fit }

public sealed record ScoreCondition(ScoreKind Score, int AtLeast) : BranchCondition;

/// <summary>A field equals a value (ignoring case) or contains a text (ignoring case).</summary>
public sealed record FieldCondition(string Field, string? Equal, string? Contains) : BranchCondition;

/// <summary>Marketing email goes out only on these days between these local times; a step due outside waits for the next opening.</summary>
public sealed record SendWindow(IReadOnlySet<DayOfWeek> Days, TimeOnly From, TimeOnly To);
