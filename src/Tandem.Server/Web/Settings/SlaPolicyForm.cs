using System.Globalization;
using Tandem.Server.Sla;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// The policy form as typed: text boxes, selects and checkboxes, turned into the API's request so the page and the API
/// share one validation. Text that is not a whole number goes on as an out-of-range number, so the refusal and its
/// wording come from the use case, keyed by the API's field name.
/// </summary>
internal sealed class SlaPolicyForm
{
    public string? Name { get; set; }
    public string? Stage { get; set; } = "MQL";
    public string? Priority { get; set; } = "100";
    public long? CalendarId { get; set; }
    public string? FirstTouchAmount { get; set; }
    public string? FirstTouchUnit { get; set; } = "hours";
    public string? DecisionAmount { get; set; }
    public string? DecisionUnit { get; set; } = "days";
    public string? AttemptsMinimum { get; set; }
    public string? AttemptsOverAmount { get; set; }
    public string? AttemptsOverUnit { get; set; } = "days";
    /// <summary>The checked reasons; a new policy's form starts with the default ones checked.</summary>
    public List<string> GivingUpReasons { get; set; } = [];
    /// <summary>"50, 80": percents of the clock's business time at which the owner is reminded.</summary>
    public string? ReminderPercents { get; set; }
    public List<string> Grades { get; set; } = [];
    /// <summary>First-touch channels, comma-separated.</summary>
    public string? Sources { get; set; }
    public List<long> TeamIds { get; set; } = [];
    public bool NotifyManager { get; set; } = true;
    public bool Reassign { get; set; }
    public bool Active { get; set; } = true;

    /// <summary>A whole number that cannot pass any range check, standing in for text that is not a number.</summary>
    private const int NotANumber = int.MinValue;

    public ManagePolicies.Request ToRequest() => new(
        Name, Stage,
        new SegmentDto(Grades.Where(g => !string.IsNullOrWhiteSpace(g)).ToList(), List(Sources), TeamIds.Distinct().ToList()),
        Number(Priority), CalendarId,
        Duration(FirstTouchAmount, FirstTouchUnit), Duration(DecisionAmount, DecisionUnit),
        Number(AttemptsMinimum) is { } min ? new AttemptsDto(min, Duration(AttemptsOverAmount, AttemptsOverUnit), GivingUpReasons.Distinct().ToList()) : null,
        List(ReminderPercents).Select(p => Number(p.TrimEnd('%')) ?? NotANumber).ToList(),
        new BreachDto(NotifyManager, Reassign), Active);

    public static SlaPolicyForm From(PolicyDto p) => new()
    {
        Name = p.Name,
        Stage = p.Stage,
        Priority = p.Priority.ToString(CultureInfo.InvariantCulture),
        CalendarId = p.CalendarId,
        FirstTouchAmount = p.FirstTouch?.Amount?.ToString(CultureInfo.InvariantCulture),
        FirstTouchUnit = p.FirstTouch?.Unit ?? "hours",
        DecisionAmount = p.Decision?.Amount?.ToString(CultureInfo.InvariantCulture),
        DecisionUnit = p.Decision?.Unit ?? "days",
        AttemptsMinimum = p.Attempts?.Minimum?.ToString(CultureInfo.InvariantCulture),
        AttemptsOverAmount = p.Attempts?.Over?.Amount?.ToString(CultureInfo.InvariantCulture),
        AttemptsOverUnit = p.Attempts?.Over?.Unit ?? "days",
        GivingUpReasons = p.Attempts?.GivingUpReasons ?? [.. Tandem.Domain.Sla.AttemptsRule.DefaultGivingUpReasons],
        ReminderPercents = string.Join(", ", p.ReminderPercents),
        Grades = [.. p.Segment.Grades ?? []],
        Sources = string.Join(", ", p.Segment.Sources ?? []),
        TeamIds = [.. p.Segment.TeamIds ?? []],
        NotifyManager = p.OnBreach.NotifyManager ?? true,
        Reassign = p.OnBreach.Reassign ?? false,
        Active = p.Active,
    };

    /// <summary>A blank amount means "no such promise"; a unit alone does not make one.</summary>
    private static DurationDto? Duration(string? amount, string? unit) =>
        Number(amount) is { } a ? new DurationDto(a, unit) : null;

    /// <summary>Null for blank; the number when it is one; otherwise <see cref="NotANumber"/>.</summary>
    internal static int? Number(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : NotANumber;
    }

    internal static List<string> List(string? text) =>
        (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

/// <summary>One "within [amount] [unit]" promise on the policy form.</summary>
internal sealed record DurationField(string Key, string Legend, string AmountName, string? Amount, string UnitName, string? Unit, string? Error);
