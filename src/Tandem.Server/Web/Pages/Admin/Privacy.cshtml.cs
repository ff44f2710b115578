using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Privacy;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Pages.Admin;

/// <summary>Personal data for admins: how long activities, delivery logs and import error reports are kept, and how many people were erased.</summary>
internal sealed class PrivacyModel(Database db, TimeProvider clock) : TandemPageModel
{
    public RetentionPolicy Policy { get; private set; } = RetentionPolicy.KeepForever;
    public long Erased { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync([FromForm] string? activitiesDays, [FromForm] string? deliveryLogsDays, [FromForm] string? importErrorsDays,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        int? Days(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (int.TryParse(text.Trim(), out var days)) return days;
            errors[field] = $"'{text.Trim()}' is not a number of days.";
            return null;
        }
        var policy = new RetentionPolicy(Days(activitiesDays, "activitiesDays"), Days(deliveryLogsDays, "deliveryLogsDays"), Days(importErrorsDays, "importErrorsDays"));
        foreach (var (field, reasons) in policy.Validate().Errors) errors.TryAdd(field, string.Join(" ", reasons));
        if (errors.Count > 0)
        {
            await LoadAsync(ct);
            Policy = policy;
            Errors = errors;
            Response.StatusCode = 422;
            return Page();
        }
        await RetentionSettings.SaveAsync(db, policy, clock, ct);
        Tell(policy.KeepsEverything ? "Retention saved: everything is kept." : "Retention saved. The daily job deletes what is older from its next run.");
        return Redirect("/admin/privacy");
    }

    private async Task LoadAsync(CancellationToken ct) => await db.ReadAsync(async c =>
    {
        Policy = await RetentionSettings.ReadAsync(c, null);
        Erased = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE erased_at IS NOT NULL AND merged_into_id IS NULL");
        return true;
    }, ct);
}
