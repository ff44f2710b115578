using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Capture.Forms;
using Tandem.Server.Storage;
using Tandem.Server.Web.Forms;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Forms;

/// <summary>
/// Creates a form (/forms/new) or changes one (/forms/{id}/edit): its fields, the campaign it credits and its confirmation.
/// It saves through the forms API's own handlers, so it refuses exactly what the API refuses, next to the field concerned.
/// </summary>
[FormEditorsOnly]
internal sealed class EditModel(Database db, TimeProvider clock) : TandemPageModel
{
    [BindProperty] public FormEditor Editor { get; set; } = FormEditor.New();
    public FormRow? Existing { get; private set; }
    public FormOutcome Outcome { get; private set; } = FormOutcome.Done;
    public IReadOnlyList<(long Id, string Name)> Campaigns { get; private set; } = [];
    public IReadOnlyList<string> Templates { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken ct)
    {
        if (id is { } formId)
        {
            Existing = await FormStore.FindAsync(db, formId, ct);
            if (Existing is null) return NotFoundPage();
            var template = Existing.ConfirmationTemplateId is { } t
                ? await db.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT name FROM email_templates WHERE id = @t", new { t }), ct) : null;
            Editor = FormEditor.From(Existing, template);
        }
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken ct)
    {
        if (id is { } formId && (Existing = await FormStore.FindAsync(db, formId, ct)) is null) return NotFoundPage();
        var (request, rowOf) = Editor.ToRequest(Existing);
        IResult result = Existing is null
            ? (await SaveForm.Create(request, db, clock, ct)).Result
            : (await SaveForm.Update(Existing.Id, request, db, clock, ct)).Result;
        var saved = result switch { Created<FormDto> c => c.Value, Ok<FormDto> o => o.Value, _ => null };
        if (saved is not null)
        {
            Tell(Existing is null ? $"Created “{saved.Name}”. Paste its snippet into your website or share its page." : $"Saved “{saved.Name}”.");
            return Redirect($"/forms/{saved.Id}");
        }
        Outcome = FormEditor.OnRows(FormOutcome.Of(result), rowOf);
        await LoadChoicesAsync(ct);
        Response.StatusCode = 422;
        return Page();
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        Campaigns = (await db.ReadAsync(c => c.QueryAsync<(long, string)>("SELECT id, name FROM campaigns ORDER BY name"), ct)).ToList();
        Templates = (await db.ReadAsync(c => c.QueryAsync<string>("SELECT name FROM email_templates WHERE kind = 'transactional' ORDER BY name"), ct)).ToList();
        // Room to add fields without a script: a few blank rows under the form's own (a refused post brings its blanks back).
        while (Editor.Fields.Count > 0 && Editor.Fields[^1] is { Target: null, Label: null or "" }) Editor.Fields.RemoveAt(Editor.Fields.Count - 1);
        for (var i = 0; i < FormEditor.SpareRows; i++) Editor.Fields.Add(new FormEditor.FieldRow());
    }
}
