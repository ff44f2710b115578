using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Domain.Stall;
using Tandem.Server.Stall;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages.Stalls;

/// <summary>
/// Stalled leads, for managers and marketing: filter by stage, owner, team, rule and age, read each stall's story and
/// what was done about it, and act on several at once (remind, notify, reassign, enroll in a revival program, task,
/// recycle, close). The page calls the same use cases as /api/v1/stalls.
/// </summary>
internal sealed class IndexModel(Database db, TimeProvider clock, StallActions actions, StallTicker ticker) : TandemPageModel
{
    public IReadOnlyList<StallEndpoints.StallDto> Stalls { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Owners { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Teams { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Programs { get; private set; } = [];
    public IReadOnlyList<(string Key, string Name)> Rules { get; private set; } = [];
    public StallEndpoints.Filter Filter { get; private set; } = new("live", null, null, null, null, null, 200);

    public static bool MayView(UserRow me) => me.Role is Roles.Admin or Roles.Marketing or Roles.SalesManager;

    public async Task<IActionResult> OnGetAsync([FromQuery] string? state, [FromQuery] string? stage, [FromQuery] long? owner, [FromQuery] long? team,
        [FromQuery] string? rule, [FromQuery] int? minAge, CancellationToken ct)
    {
        if (!MayView(Me)) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        Filter = new StallEndpoints.Filter(state is null || state == "live" || StallState.All.Contains(state) ? state ?? "live" : "live",
            Tandem.Domain.Lifecycle.Stages.TryParse(stage, out var s) ? s.ToString() : null, owner, team, string.IsNullOrWhiteSpace(rule) ? null : rule,
            minAge is > 0 ? minAge : null, 500);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostBulkAsync([FromForm] long[] ids, [FromForm] string? action, [FromForm] long? programId, [FromForm] string? returnTo,
        CancellationToken ct)
    {
        if (!MayView(Me)) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        var back = returnTo is { Length: > 0 } r && r.StartsWith("/stalls", StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/stalls";
        if (ids.Length == 0) { Tell("Tick the stalls to act on first.", error: true); return Redirect(back); }
        if (action == "close")
        {
            Tell($"Closed {await actions.CloseAsync(ids, $"closed by {Me.Name}", ct)} stall(s).");
            return Redirect(back);
        }
        if (action is null || !StallRuleParser.ActionNames.TryGetValue(action, out var chosen)) { Tell("Choose an action.", error: true); return Redirect(back); }
        if (chosen == StallAction.EnrollRevival && programId is null) { Tell("Choose the revival program to enroll in.", error: true); return Redirect(back); }
        var done = await actions.RunAsync(ids, chosen, programId, Actor, ct);
        Tell($"{action}: done for {done} stall(s). Each stall's log says what happened.");
        return Redirect(back);
    }

    public async Task<IActionResult> OnPostSweepAsync(CancellationToken ct)
    {
        if (!MayView(Me)) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        var r = await ticker.TickAsync(ct);
        Tell($"Swept {r.Sweep.Examined} lead(s): {r.Sweep.Stalled} newly stalled, {r.Acted} acted on, {r.Sweep.Closed} no longer stalled.");
        return Redirect("/stalls");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.ReadAsync(async c =>
        {
            Stalls = await StallEndpoints.QueryAsync(c, Filter, now);
            Owners = (await c.QueryAsync<(long, string)>("SELECT id, name FROM users WHERE role IN ('sales_rep', 'sales_manager') AND active = 1 ORDER BY name")).ToList();
            Teams = (await c.QueryAsync<(long, string)>("SELECT id, name FROM teams ORDER BY name")).ToList();
            Programs = (await c.QueryAsync<(long, string)>("SELECT id, name FROM nurture_programs WHERE status = 'active' ORDER BY name")).ToList();
            Rules = (await c.QueryAsync<(string, string)>("SELECT DISTINCT rule_key, rule_name FROM stall_records ORDER BY rule_name")).ToList();
            return 0;
        }, ct);
    }

    public static string Age(double days) => days < 1 ? "today" : days < 2 ? "1 day" : $"{(int)days} days";
}
