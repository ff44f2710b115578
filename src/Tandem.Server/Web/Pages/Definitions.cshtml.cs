using Microsoft.AspNetCore.Mvc;
using Tandem.Domain.Scoring;
using Tandem.Server.Identity;
using Tandem.Server.Lifecycle;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages;

/// <summary>
/// The vocabulary both teams share: the lifecycle stages, the reason codes (editable by admins and marketing), and the
/// MQL definition and personas of the scoring model in force (edited, with a preview, on the Scoring page).
/// </summary>
internal sealed class DefinitionsModel(LifecycleSettings lifecycle, ReasonCatalog reasons, Database db, ScoringModels models, TimeProvider clock)
    : TandemPageModel
{
    public LifecycleSettings Lifecycle => lifecycle;
    public ReasonCatalog Reasons => reasons;
    public ScoringModel? Model { get; private set; }
    public long? ModelVersion { get; private set; }

    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;

    /// <summary>The list whose form was refused, and why, keyed by field ("codes", "codes[3]", "codes[3].stage").</summary>
    public string? RefusedList { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public static readonly IReadOnlyList<(string List, string Title, string Help)> ReasonLists =
    [
        (ReasonCatalog.Reject, "Why sales rejects an MQL", "Offered when a rep rejects a lead; each sends the lead back to nurture (Recycled) or out (Disqualified)."),
        (ReasonCatalog.Lost, "Why deals are lost", "Recorded with a lost deal; the lead goes back to nurture."),
        (ReasonCatalog.Recycled, "Reasons to recycle", "Accepted when anyone moves a lead to Recycled."),
        (ReasonCatalog.Disqualified, "Reasons to disqualify", "Accepted when anyone moves a lead to Disqualified."),
    ];

    public static readonly IReadOnlyDictionary<string, string> Meanings = new Dictionary<string, string>
    {
        ["Subscriber"] = "Opted in to hear from us (a newsletter, a blog); not yet showing buying interest.",
        ["Lead"] = "Known and showing some interest; marketing nurtures them.",
        ["MQL"] = "Marketing-qualified: meets the shared MQL definition, handed to sales.",
        ["SAL"] = "Sales-accepted: a rep has accepted the MQL and is working it.",
        ["SQL"] = "Sales-qualified: a real opportunity candidate after discovery.",
        ["Opportunity"] = "An open deal in the sales pipeline.",
        ["Customer"] = "Bought.",
        ["Recycled"] = "Back to marketing nurture, with a reason; can re-enter the cycle.",
        ["Disqualified"] = "Not a fit, with a reason; can only be recycled later.",
    };

    public async Task OnGetAsync(CancellationToken ct) => await LoadModelAsync(ct);

    public async Task<IActionResult> OnPostAddAsync([FromForm] string? list, [FromForm] string? code, [FromForm] string? stage, CancellationToken ct)
    {
        if (!CanEdit) return StatusCode(403);
        if (list is null || !ReasonCatalog.Lists.Contains(list)) return BadRequest();
        var entries = reasons.EntriesOf(list).Append(new ReasonCatalog.Entry(code?.Trim() ?? "", stage)).ToList();
        return await SaveAsync(list, entries, $"Added '{code?.Trim().ToLowerInvariant()}'.", ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync([FromForm] string? list, [FromForm] string? code, CancellationToken ct)
    {
        if (!CanEdit) return StatusCode(403);
        if (list is null || !ReasonCatalog.Lists.Contains(list)) return BadRequest();
        var entries = reasons.EntriesOf(list).Where(e => e.Code != code).ToList();
        return await SaveAsync(list, entries, $"Removed '{code}'. Leads already recorded with it keep it in their history.", ct);
    }

    private async Task<IActionResult> SaveAsync(string list, IReadOnlyList<ReasonCatalog.Entry> entries, string done, CancellationToken ct)
    {
        var errors = await reasons.ReplaceAsync(db, list, entries, clock, ct);
        if (errors.Count == 0)
        {
            Tell(done);
            return Redirect($"/definitions#reasons-{list}");
        }
        (RefusedList, Errors) = (list, errors);
        Response.StatusCode = 422;
        await LoadModelAsync(ct);
        return Page();
    }

    private async Task LoadModelAsync(CancellationToken ct)
    {
        var active = await db.ReadAsync(c => models.ActiveAsync(c, null), ct);
        (Model, ModelVersion) = (active?.Model, active?.Version);
    }
}
