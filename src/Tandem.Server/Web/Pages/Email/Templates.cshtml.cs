using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Email;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.People;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Email;

/// <summary>
/// Email templates: the list, and an editor with a preview rendered for a real person and a test send to yourself.
/// Every action is the email API's own handler, so the page refuses exactly what the API refuses, field by field.
/// </summary>
internal sealed class TemplatesModel(Database db, EmailLinks links, EmailOptions options, TimeProvider clock) : TandemPageModel
{
    public IReadOnlyList<ManageTemplates.Dto> Templates { get; private set; } = [];
    public ManageTemplates.Dto? Current { get; private set; }
    public ManageTemplates.Request Form { get; private set; } = new(null, "marketing", null, null, null, null);
    public PreviewTemplate.Preview? Preview { get; private set; }
    public string? PreviewPerson { get; private set; }
    public FormOutcome Outcome { get; private set; } = FormOutcome.Done;
    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;

    public async Task<IActionResult> OnGetAsync([FromQuery] long? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFoundPage();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync([FromQuery] long? id, [FromForm] ManageTemplates.Request form, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        IResult result = id is { } existing
            ? (await ManageTemplates.Replace(existing, form, db, clock, ct)).Result
            : (await ManageTemplates.Create(form, db, clock, ct)).Result;
        var outcome = FormOutcome.Of(result);
        if (!outcome.Succeeded)
        {
            if (!await LoadAsync(id, ct)) return NotFoundPage();
            Form = form;
            Outcome = outcome;
            Response.StatusCode = 422;
            return Page();
        }
        var savedId = result is Created<ManageTemplates.Dto> created ? created.Value!.Id : id!.Value;
        Tell("Template saved.");
        return Redirect($"/email/templates?id={savedId}");
    }

    public async Task<IActionResult> OnPostPreviewAsync([FromQuery] long id, [FromForm] string? person, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFoundPage();
        long? personId = null;
        if (!string.IsNullOrWhiteSpace(person))
        {
            personId = await PersonByEmailOrId.FindAsync(db, Scope, person, ct);
            if (personId is null) { Outcome = FormOutcome.Invalid("person", "No person has that email address or id."); Response.StatusCode = 422; return Page(); }
        }
        var result = (await PreviewTemplate.Handle(id, new PreviewTemplate.PreviewRequest(personId), db, links, ct)).Result;
        if (result is Ok<PreviewTemplate.Preview> ok) { Preview = ok.Value; PreviewPerson = person; return Page(); }
        Outcome = FormOutcome.Of(result);
        Response.StatusCode = 422;
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync([FromQuery] long id, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var result = (await PreviewTemplate.TestSend(id, new PreviewTemplate.TestSendRequest(Me.Email, null), db, links, options, clock, ct)).Result;
        if (result is Ok<PreviewTemplate.TestSent> sent)
        {
            Tell($"A test of “{sent.Value!.Subject}” went to {sent.Value.To}.");
            return Redirect($"/email/templates?id={id}");
        }
        if (!await LoadAsync(id, ct)) return NotFoundPage();
        Outcome = FormOutcome.Of(result);
        Response.StatusCode = 422;
        return Page();
    }

    private async Task<bool> LoadAsync(long? id, CancellationToken ct)
    {
        Templates = (await ManageTemplates.List(db, ct)).Value ?? [];
        if (id is not { } templateId) return true;
        if ((await ManageTemplates.Get(templateId, db, ct)).Result is not Ok<ManageTemplates.Dto> { Value: { } t }) return false;
        Current = t;
        Form = new ManageTemplates.Request(t.Name, t.Kind, t.Topic, t.Subject, t.Preheader, t.BodyMarkdown);
        return true;
    }

    private ViewResult NoAccess() => new() { ViewName = "NoAccess", StatusCode = 403 };
}
