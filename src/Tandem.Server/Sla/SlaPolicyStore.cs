using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Server.Storage;

namespace Tandem.Server.Sla;

internal sealed record DurationDto(int? Amount, string? Unit);
/// <param name="GivingUpReasons">The reason codes giving a lead up with is judged against the minimum; none for only the due time to judge it;
/// absent for the default, "no-response".</param>
internal sealed record AttemptsDto(int? Minimum, DurationDto? Over, List<string>? GivingUpReasons = null);
internal sealed record SegmentDto(List<string>? Grades, List<string>? Sources, List<long>? TeamIds);
internal sealed record BreachDto(bool? NotifyManager, bool? Reassign);

internal sealed record PolicyDto(long Id, string Name, string Stage, SegmentDto Segment, int Priority, long CalendarId,
    DurationDto? FirstTouch, DurationDto? Decision, AttemptsDto? Attempts, IReadOnlyList<int> ReminderPercents,
    BreachDto OnBreach, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal sealed class PolicyRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Stage { get; set; } = nameof(Tandem.Domain.Lifecycle.Stage.MQL);
    public string Segment { get; set; } = "{}";
    public long Priority { get; set; }
    public long CalendarId { get; set; }
    public long? FirstTouchAmount { get; set; }
    public string? FirstTouchUnit { get; set; }
    public long? DecisionAmount { get; set; }
    public string? DecisionUnit { get; set; }
    public long? AttemptsMinimum { get; set; }
    public long? AttemptsAmount { get; set; }
    public string? AttemptsUnit { get; set; }
    public string AttemptsReasons { get; set; } = Json.Write(AttemptsRule.DefaultGivingUpReasons);
    public string ReminderPercents { get; set; } = "[]";
    public long NotifyManager { get; set; } = 1;
    public long ReassignOnBreach { get; set; }
    public long Active { get; set; } = 1;
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public SegmentDto SegmentValue => Json.Read(Segment, new SegmentDto([], [], []));
    public List<int> Percents => Json.Read(ReminderPercents, new List<int>());
    public List<string> GivingUpReasons => Json.Read(AttemptsReasons, new List<string>());

    public SlaPolicy ToPolicy()
    {
        var s = SegmentValue;
        return new SlaPolicy(Id, Name, Enum.Parse<Stage>(Stage), new SlaSegment(s.Grades ?? [], s.Sources ?? [], s.TeamIds ?? []),
            (int)Priority, CalendarId, Duration(FirstTouchAmount, FirstTouchUnit), Duration(DecisionAmount, DecisionUnit),
            AttemptsMinimum is { } min && Duration(AttemptsAmount, AttemptsUnit) is { } over ? new AttemptsRule((int)min, over, GivingUpReasons) : null,
            Percents.Select(p => p / 100.0).ToList(), new BreachActions(NotifyManager != 0, ReassignOnBreach != 0));
    }

    public PolicyDto ToDto() => new(Id, Name, Stage, SegmentValue, (int)Priority, CalendarId,
        Dto(FirstTouchAmount, FirstTouchUnit), Dto(DecisionAmount, DecisionUnit),
        AttemptsMinimum is { } min ? new AttemptsDto((int)min, Dto(AttemptsAmount, AttemptsUnit), GivingUpReasons) : null,
        Percents, new BreachDto(NotifyManager != 0, ReassignOnBreach != 0), Active != 0,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));

    private static BusinessDuration? Duration(long? amount, string? unit) =>
        amount is { } a && SlaPolicyStore.TryParseUnit(unit, out var u) ? new BusinessDuration((int)a, u) : null;

    private static DurationDto? Dto(long? amount, string? unit) => amount is { } a ? new DurationDto((int)a, unit) : null;
}

internal static class SlaPolicyStore
{
    public static readonly IReadOnlyList<string> Units = ["minutes", "hours", "days"];

    public static bool TryParseUnit(string? text, out BusinessUnit unit) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out unit) && Units.Contains(text!.Trim().ToLowerInvariant());

    public static Task<PolicyRow?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<PolicyRow>("SELECT * FROM sla_policies WHERE id = @id", new { id }, tx);

    /// <summary>The active policies and every calendar, in one round trip (assignment reads them each time).</summary>
    public static async Task<(IReadOnlyList<SlaPolicy> Policies, IReadOnlyDictionary<long, CalendarRow> Calendars)> ActiveWithCalendarsAsync(
        DbConnection c, DbTransaction? tx)
    {
        using var grid = await c.QueryMultipleAsync("SELECT * FROM sla_policies WHERE active = 1; SELECT * FROM sla_calendars", transaction: tx);
        var policies = (await grid.ReadAsync<PolicyRow>()).Select(r => r.ToPolicy()).ToList();
        return (policies, (await grid.ReadAsync<CalendarRow>()).ToDictionary(r => r.Id));
    }

    public static async Task<IReadOnlyList<SlaPolicy>> ActiveAsync(DbConnection c, DbTransaction? tx) =>
        (await c.QueryAsync<PolicyRow>("SELECT * FROM sla_policies WHERE active = 1", transaction: tx)).Select(r => r.ToPolicy()).ToList();

    public const string Insert =
        "INSERT INTO sla_policies (name, stage, segment, priority, calendar_id, first_touch_amount, first_touch_unit, decision_amount, decision_unit, " +
        "attempts_minimum, attempts_amount, attempts_unit, attempts_reasons, reminder_percents, notify_manager, reassign_on_breach, active, created_at, updated_at) " +
        "VALUES (@Name, @Stage, @Segment, @Priority, @CalendarId, @FirstTouchAmount, @FirstTouchUnit, @DecisionAmount, @DecisionUnit, " +
        "@AttemptsMinimum, @AttemptsAmount, @AttemptsUnit, @AttemptsReasons, @ReminderPercents, @NotifyManager, @ReassignOnBreach, @Active, @CreatedAt, @UpdatedAt) RETURNING id";

    public const string Update =
        "UPDATE sla_policies SET name = @Name, stage = @Stage, segment = @Segment, priority = @Priority, calendar_id = @CalendarId, " +
        "first_touch_amount = @FirstTouchAmount, first_touch_unit = @FirstTouchUnit, decision_amount = @DecisionAmount, decision_unit = @DecisionUnit, " +
        "attempts_minimum = @AttemptsMinimum, attempts_amount = @AttemptsAmount, attempts_unit = @AttemptsUnit, attempts_reasons = @AttemptsReasons, reminder_percents = @ReminderPercents, " +
        "notify_manager = @NotifyManager, reassign_on_breach = @ReassignOnBreach, active = @Active, updated_at = @UpdatedAt WHERE id = @Id";
}
