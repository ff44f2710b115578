using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Privacy;

namespace Tandem.Server.Web.Pages.Admin;

/// <summary>The subject access export as a file to hand the person: everything Tandem holds on them, as JSON.</summary>
internal sealed class PersonDataModel(PersonDataExport export) : TandemPageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [FromRoute] public long Id { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var document = await export.ExportAsync(Id, ct);
        if (document is null) return NotFoundPage();
        return File(Encoding.UTF8.GetBytes(document.ToJsonString(Indented)), "application/json", $"tandem-person-{document["personId"]}.json");
    }
}
