using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Sla;
using Tandem.Server.Storage;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>/settings/sla/commitments/new and /settings/sla/commitments/{id}: marketing's monthly promise, saved through the API's use case.</summary>
internal sealed class SlaCommitmentModel(Database db, TimeProvider clock) : SlaSettingsPageModel
{
    [BindProperty] public SlaCommitmentForm Form { get; set; } = new();

    public long? CommitmentId { get; private set; }

    public static readonly string[] Fields = ["name", "minimumMqlsPerMonth", "minimumAcceptancePercent", "sources"];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!TryReadId(id, out var commitmentId)) return NotFoundPage();
        if (commitmentId is { } existing)
        {
            // The API has no single-commitment read; the list is short.
            if ((await ManageCommitments.List(db, ct)).Value!.FirstOrDefault(c => c.Id == existing) is not { } found) return NotFoundPage();
            Form = SlaCommitmentForm.From(found);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!TryReadId(id, out var commitmentId)) return NotFoundPage();
        var request = Form.ToRequest();
        var outcome = FormOutcome.Of(commitmentId is { } existing
            ? await ManageCommitments.Replace(existing, request, db, clock, ct)
            : await ManageCommitments.Create(request, db, clock, ct));
        if (outcome.NotFound) return NotFoundPage();
        if (outcome.Succeeded)
        {
            Tell(commitmentId is null ? $"Created the commitment '{request.Name?.Trim()}'." : $"Saved the commitment '{request.Name?.Trim()}'.");
            return Redirect("/settings/sla");
        }
        return Refused(outcome);
    }

    private bool TryReadId(string id, out long? commitmentId)
    {
        var ok = ReadEditId(id, out commitmentId);
        CommitmentId = commitmentId;
        return ok;
    }
}
