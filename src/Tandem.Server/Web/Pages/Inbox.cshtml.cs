using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Inbox;

namespace Tandem.Server.Web.Pages;

/// <summary>The rep's working list: open leads (MQL, SAL) they own, the longest-waiting first. Managers see their teams'.</summary>
public sealed class InboxModel(Database db, TimeProvider clock) : TandemPageModel
{
    public IReadOnlyList<InboxQuery.InboxRow> Leads { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Me.Role is not (Roles.SalesRep or Roles.SalesManager)) return Redirect("/people");
        Now = clock.GetUtcNow();
        Leads = await db.ReadAsync(c => InboxQuery.OpenLeadsAsync(c, Scope), ct);
        return Page();
    }

    public static string Waited(TimeSpan t) => t.TotalMinutes < 1 ? "just now"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes} min"
        : t.TotalDays < 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
        : $"{(int)t.TotalDays} d {t.Hours} h";
}
