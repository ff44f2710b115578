using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.People;
using Tandem.Server.Privacy;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Pages.Admin;

/// <summary>The confirm step before an admin erases a person: what will go, and a box to tick that says it cannot be undone.</summary>
internal sealed class ErasePersonModel(Database db, PersonEraser eraser) : TandemPageModel
{
    [FromRoute] public long Id { get; set; }
    public PersonRow Person { get; private set; } = null!;
    public long Activities { get; private set; }
    public long MergedRecords { get; private set; }
    public string? Error { get; private set; }

    public string DisplayName => $"{Person.FirstName} {Person.LastName}".Trim() is { Length: > 0 } n ? n : Person.Email ?? $"Person {Person.Id}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAsync([FromForm] bool confirm, CancellationToken ct)
    {
        if (!confirm)
        {
            if (!await LoadAsync(ct)) return NotFoundPage();
            Error = "Tick the box to confirm that this person is to be erased for good.";
            Response.StatusCode = 422;
            return Page();
        }
        var outcome = await eraser.EraseAsync(Id, ct);
        if (outcome.Status is EraseStatus.NotFound or EraseStatus.AlreadyErased) return NotFoundPage();
        if (outcome.Status == EraseStatus.Merged) return Redirect($"/admin/people/{outcome.MergedIntoId}/erase");
        Tell($"Person {Id} was erased. Only an anonymous tombstone is left for the reports.");
        return Redirect("/people");
    }

    private async Task<bool> LoadAsync(CancellationToken ct) => await db.ReadAsync(async c =>
    {
        var person = await PersonStore.FindLiveAsync(c, null, Id);
        if (person is null) return false;
        Person = person;
        Id = person.Id;
        Activities = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM activities WHERE person_id = @Id", new { Id }, null);
        MergedRecords = (await PersonEraser.WithMergedAsync(c, null, Id)).Length - 1;
        return true;
    }, ct);
}
