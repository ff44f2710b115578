using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Audit;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>The audit log for admins: newest first, filtered by action (or a prefix such as "settings."), a page at a time.</summary>
internal sealed class AuditModel(Database db) : TandemPageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true, Name = "action")] public string? Filter { get; set; }
    [BindProperty(SupportsGet = true, Name = "before")] public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public long? NextBefore { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var action = Filter is { Length: > 0 and <= 100 } ? Filter.Trim() : null;
        Entries = await AuditLog.ListAsync(db, new AuditLog.Query(action, null, null, Before, PageSize), ct);
        NextBefore = Entries.Count == PageSize ? Entries[^1].Id : null;
    }
}
