using Microsoft.AspNetCore.Mvc;
using Tandem.Domain.Import;
using Tandem.Server.Import;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Pages.Imports;

/// <summary>One import job: its progress while it runs, its counts and mapping, the first rejected rows and the full error report.</summary>
internal sealed class ImportJobModel(Database db, TimeProvider clock) : TandemPageModel
{
    public const int ProblemsShown = 20;

    [FromRoute] public long Id { get; set; }
    public ImportJobDto Job { get; private set; } = null!;
    public IReadOnlyList<RowProblem> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ImportsModel.MayImport(Me)) return NoAccess();
        var row = await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, Id), ct);
        if (row is null) return NotFoundPage();
        Job = ImportJobDto.From(row, clock.GetUtcNow());
        Problems = await db.ReadAsync(c => ImportJobStore.ErrorsAsync(c, Id, ProblemsShown), ct);
        return Page();
    }

    /// <summary>The rejected rows as CSV (row, column, value, reason), streamed by the same code as the API's error report.</summary>
    public async Task<IActionResult> OnGetErrorsAsync(CancellationToken ct)
    {
        if (!ImportsModel.MayImport(Me)) return NoAccess();
        if (await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, Id), ct) is null) return NotFoundPage();
        await GetImport.Errors(Id, HttpContext, db, ct);
        return new EmptyResult();
    }

    private IActionResult NoAccess() => new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
}
