using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Capture.Forms;
using Tandem.Server.Storage;
using Tandem.Server.Web.Forms;

namespace Tandem.Server.Web.Pages.Forms;

/// <summary>One form: its own page and the snippet to paste into a website, then its submissions, newest first, a page at a time.</summary>
[FormEditorsOnly]
internal sealed class FormModel(Database db) : TandemPageModel
{
    public FormRow Form { get; private set; } = null!;
    public string? CampaignName { get; private set; }
    public string? TemplateName { get; private set; }
    public string Embed { get; private set; } = "";
    public string? HostedUrl { get; private set; }
    public SubmissionPage Submissions { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, [FromQuery] int? page, CancellationToken ct)
    {
        if (await FormStore.FindAsync(db, id, ct) is not { } form) return NotFoundPage();
        Form = form;
        var root = PublicAddress.Root(HttpContext);
        Embed = FormHtml.Embed(form, root);
        HostedUrl = form.HasHostedPage ? $"{root}/f/{form.FormKey}" : null;
        (CampaignName, TemplateName, Submissions) = await db.ReadAsync(async c => (
            form.CampaignId is { } campaign ? await c.ExecuteScalarAsync<string?>("SELECT name FROM campaigns WHERE id = @campaign", new { campaign }) : null,
            form.ConfirmationTemplateId is { } t ? await c.ExecuteScalarAsync<string?>("SELECT name FROM email_templates WHERE id = @t", new { t }) : null,
            await FormSubmissions.PageAsync(c, id, page ?? 1)), ct);
        return Page();
    }
}
