using Tandem.Server.Planning;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages.Plan;

/// <summary>
/// /plan: the current plan (or ?id=), worked out as of now — the rows per channel and month, the capacity check, pacing
/// with its projection and words (each actual opens its people), and the scenarios side by side. Everyone reads the
/// plan; marketing, sales managers and admins change it.
/// </summary>
internal sealed class IndexModel(Database db, TimeProvider clock, PlanningOptions options) : TandemPageModel
{
    public PlanDto? Plan { get; private set; }
    public IReadOnlyList<PlanSummaryDto> Plans { get; private set; } = [];

    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing or Roles.SalesManager;

    public async Task OnGetAsync(long? id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        (Plans, Plan) = await db.ReadAsync(async c =>
        {
            var plans = (await PlanStore.ListAsync(c)).Select(ManagePlans.Summary).ToList();
            var row = id is { } chosen ? await PlanStore.GetAsync(c, chosen) : (await PlanStore.ActiveAtAsync(c, now.ToUnixTimeMilliseconds())).FirstOrDefault();
            return (plans, row is null ? null : await PlanView.ReadAsync(c, row, now, options.BehindPaceThreshold));
        }, ct);
        if (id is not null && Plan is null) Response.StatusCode = 404;
    }

    public static string Num(long? n) => n is { } x ? x.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "–";

    public static string Pct(double? r) => r is { } x ? x.ToString("0.#%", System.Globalization.CultureInfo.InvariantCulture) : "–";

    public static string Money(decimal m) => m.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
