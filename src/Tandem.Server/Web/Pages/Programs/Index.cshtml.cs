using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Nurture;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Nurture;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Programs;

/// <summary>
/// Nurture programs with the figures that say whether each works: everyone reads them; admin and marketing create,
/// edit and run them. The page calls the programs API's own handlers, so it refuses exactly what the API refuses.
/// </summary>
internal sealed class IndexModel(Database db, TimeProvider clock) : TandemPageModel
{
    public IReadOnlyList<ManagePrograms.ProgramDto> Programs { get; private set; } = [];
    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;
    public bool ShowArchived { get; private set; }
    public FormOutcome Outcome { get; private set; } = FormOutcome.Done;

    public async Task OnGetAsync([FromQuery] bool archived, CancellationToken ct)
    {
        ShowArchived = archived;
        Programs = (await ManagePrograms.List(archived, db, ct)).Value ?? [];
    }

    public async Task<IActionResult> OnPostCreateAsync([FromForm] string? name, [FromForm] string? kind, CancellationToken ct)
    {
        if (!CanEdit) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        var firstTemplate = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<long?>("SELECT id FROM email_templates WHERE kind = 'marketing' ORDER BY id"), ct);
        using var starter = JsonDocument.Parse(StarterProgram.Json(firstTemplate));
        var result = await ManagePrograms.Create(new ManagePrograms.Request(name, kind, starter.RootElement.Clone()), db, clock, ct);
        if (result.Result is Microsoft.AspNetCore.Http.HttpResults.Created<ManagePrograms.ProgramDto> created)
        {
            Tell($"Created “{created.Value!.Name}” as a draft. Edit its steps, preview who would enter, then publish it.");
            return Redirect($"/programs/{created.Value.Id}");
        }
        Outcome = FormOutcome.Of(result.Result);
        Programs = (await ManagePrograms.List(false, db, ct)).Value ?? [];
        Response.StatusCode = 422;
        return Page();
    }

    public static string Percent(long part, long whole) => whole == 0 ? "–" : $"{100.0 * part / whole:0.#}%";
}
