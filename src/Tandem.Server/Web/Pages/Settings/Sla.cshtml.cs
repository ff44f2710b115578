using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Dapper;
using Tandem.Server.Sla;
using Tandem.Server.Storage;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>
/// The agreement both teams see kept or broken: sales' scorecard for a week, marketing's for a month, the breaches the
/// user may see, and the policies, calendars and commitments behind them. Admins retire and delete from here.
/// </summary>
internal sealed class SlaModel(Database db, TimeProvider clock) : SlaSettingsPageModel
{
    public SlaPeriod.Week Week { get; private set; } = null!;
    public SlaPeriod.Month Month { get; private set; } = null!;

    /// <summary>Set when the week or month asked for could not be read.</summary>
    public string? PeriodNotice { get; private set; }
    public SalesScorecardDto SalesByRep { get; private set; } = null!;
    public SalesScorecardDto SalesByTeam { get; private set; } = null!;
    public SlaDecisionsInTime Decisions { get; private set; } = null!;
    public MarketingScorecardDto Marketing { get; private set; } = null!;
    public IReadOnlyList<SlaBreachLog.Line> Breaches { get; private set; } = [];
    public IReadOnlyList<PolicyDto> Policies { get; private set; } = [];
    public IReadOnlyList<CalendarDto> Calendars { get; private set; } = [];
    public IReadOnlyList<CommitmentDto> Commitments { get; private set; } = [];
    public IReadOnlyDictionary<long, string> TeamNames { get; private set; } = new Dictionary<long, string>();
    /// <summary>Today in UTC, for the calendars' upcoming holidays.</summary>
    public DateOnly Today { get; private set; }

    public const int BreachesShown = 25;

    public async Task OnGetAsync([FromQuery] string? week, [FromQuery] string? month, CancellationToken ct) => await LoadAsync(week, month, ct);

    public async Task<IActionResult> OnPostRetirePolicyAsync([FromForm] long id, CancellationToken ct) =>
        await ChangeAsync(() => ManagePolicies.Retire(id, db, clock, ct), "Retired the policy; it governs no new assignment, and its history stays.", ct);

    public async Task<IActionResult> OnPostDeleteCalendarAsync([FromForm] long id, CancellationToken ct) =>
        await ChangeAsync(() => ManageCalendars.Delete(id, db, ct), "Deleted the calendar.", ct);

    public async Task<IActionResult> OnPostDeleteCommitmentAsync([FromForm] long id, CancellationToken ct) =>
        await ChangeAsync(() => ManageCommitments.Delete(id, db, ct), "Deleted the commitment.", ct);

    private async Task<IActionResult> ChangeAsync(Func<Task<Results<NoContent, ProblemHttpResult>>> change, string done, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var outcome = FormOutcome.Of(await change());
        if (outcome.NotFound) return NotFoundPage();
        if (outcome.Succeeded) { Tell(done); return Redirect("/settings/sla"); }
        await LoadAsync(null, null, ct);
        return Refused(outcome);
    }

    private async Task LoadAsync(string? week, string? month, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Today = DateOnly.FromDateTime(now.UtcDateTime);
        Week = SlaPeriod.WeekOf(week, now);
        Month = SlaPeriod.MonthOf(month, now);
        // A period that cannot be read is said so, rather than silently showing another one.
        var unread = new List<string>();
        if (!string.IsNullOrWhiteSpace(week) && !string.Equals(week.Trim(), Week.Value, StringComparison.OrdinalIgnoreCase))
            unread.Add($"'{week.Trim()}' is not a week such as {Week.Value}; showing {Week.Label}.");
        if (!string.IsNullOrWhiteSpace(month) && month.Trim() != Month.Value)
            unread.Add($"'{month.Trim()}' is not a month such as {Month.Value}; showing {Month.Label}.");
        PeriodNotice = unread.Count == 0 ? null : string.Join(" ", unread);
        SalesByRep = Scorecard(await SalesScorecards.Handle(Week.From, Week.To, "rep", null, db, clock, ct));
        SalesByTeam = Scorecard(await SalesScorecards.Handle(Week.From, Week.To, "team", null, db, clock, ct));
        Decisions = await SlaDecisionsInTime.ForAsync(db, Week.From, Week.To, ct);
        Marketing = (await MarketingScorecards.Handle(Month.Value, db, clock, ct)).Result is Ok<MarketingScorecardDto> m
            ? m.Value! : throw new InvalidOperationException("The month was checked before asking for its scorecard.");
        Breaches = await SlaBreachLog.RecentAsync(db, Scope, BreachesShown, ct);
        Policies = (await ManagePolicies.List(true, db, ct)).Value!.OrderByDescending(p => p.Active).ThenBy(p => p.Stage).ThenBy(p => p.Priority).ToList();
        Calendars = (await ManageCalendars.List(db, ct)).Value!;
        Commitments = (await ManageCommitments.List(db, ct)).Value!;
        TeamNames = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM teams"), ct)).ToDictionary(t => t.Id, t => t.Name);
    }

    private static SalesScorecardDto Scorecard(Results<Ok<SalesScorecardDto>, ValidationProblem> result) =>
        result.Result is Ok<SalesScorecardDto> ok ? ok.Value! : throw new InvalidOperationException("The week was checked before asking for its scorecard.");

    public string CalendarName(long id) => Calendars.FirstOrDefault(c => c.Id == id)?.Name ?? $"Calendar #{id}";
}
