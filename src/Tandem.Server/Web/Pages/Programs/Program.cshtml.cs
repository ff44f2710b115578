using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Nurture;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.People;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Programs;

/// <summary>
/// One program: its figures per step, the draft being edited with who would enter now, publishing, pausing and
/// archiving, and the people in it. Every action is the programs API's own handler, so the page and the API agree.
/// </summary>
internal sealed class ProgramModel(Database db, NurturePrograms programs, TimeProvider clock) : TandemPageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public ManagePrograms.ProgramDto? Program { get; private set; }
    public IReadOnlyList<ManagePrograms.VersionDto> Versions { get; private set; } = [];
    public IReadOnlyList<ProgramEntry.EnrollmentDto> Enrollments { get; private set; } = [];
    public IReadOnlyDictionary<long, string> PersonNames { get; private set; } = new Dictionary<long, string>();
    public ProgramEntry.PreviewDto? Preview { get; private set; }
    public string DraftJson { get; private set; } = "";
    public FormOutcome Outcome { get; private set; } = FormOutcome.Done;
    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;
    public bool IsArchived => Program?.Status == ProgramStatus.Archived;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostSaveAsync(long id, [FromForm] string? name, [FromForm] string? kind, [FromForm] string? definition, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!TryParse(definition, out var json)) return await RefusedAsync(id, definition, FormOutcome.Invalid("definition", "Not JSON: " + ParseError(definition)), ct);
        var result = await ManagePrograms.Update(id, new ManagePrograms.Request(name, kind, json), db, clock, ct);
        var outcome = FormOutcome.Of(result.Result);
        if (!outcome.Succeeded) return outcome.NotFound ? NotFoundPage() : await RefusedAsync(id, definition, outcome, ct);
        Tell("Draft saved. Publish it to put it to work.");
        return Redirect($"/programs/{id}");
    }

    public async Task<IActionResult> OnPostPreviewAsync(long id, [FromForm] string? definition, CancellationToken ct)
    {
        if (!TryParse(definition, out var json)) return await RefusedAsync(id, definition, FormOutcome.Invalid("definition", "Not JSON: " + ParseError(definition)), ct);
        var result = await ProgramEntry.Preview(id, new ProgramEntry.PreviewRequest(json), db, ct);
        if (result.Result is Ok<ProgramEntry.PreviewDto> ok)
        {
            if (!await LoadAsync(id, ct)) return NotFoundPage();
            DraftJson = definition!;
            Preview = ok.Value;
            return Page();
        }
        var outcome = FormOutcome.Of(result.Result);
        return outcome.NotFound ? NotFoundPage() : await RefusedAsync(id, definition, outcome, ct);
    }

    public async Task<IActionResult> OnPostPublishAsync(long id, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var outcome = FormOutcome.Of((await ManagePrograms.Publish(id, HttpContext, db, clock, ct)).Result);
        if (outcome.NotFound) return NotFoundPage();
        if (!outcome.Succeeded) return await RefusedAsync(id, null, outcome, ct);
        Tell("Published. New entrants get this version; people already in keep the one they entered.");
        return Redirect($"/programs/{id}");
    }

    public Task<IActionResult> OnPostPauseAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, async () => (await ManagePrograms.Pause(id, db, clock, ct)).Result, "Paused: nothing is sent and nobody enters until you resume.", ct);

    public Task<IActionResult> OnPostResumeAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, async () => (await ManagePrograms.Resume(id, db, clock, ct)).Result, "Resumed: everyone carries on where they left off.", ct);

    public Task<IActionResult> OnPostArchiveAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, async () => (await ManagePrograms.Archive(id, db, clock, ct)).Result, "Archived: everyone still in has left; the figures stay.", ct);

    public async Task<IActionResult> OnPostEnrollAsync(long id, [FromForm] string? person, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var personId = await PersonByEmailOrId.FindAsync(db, Scope, person, ct);
        if (personId is null) return await RefusedAsync(id, null, FormOutcome.Invalid("person", "No person has that email address or id."), ct);
        var outcome = FormOutcome.Of((await ProgramEntry.EnrollPerson(id, new ProgramEntry.EnrollRequest(personId), HttpContext, db, programs, clock, ct)).Result);
        if (outcome.NotFound) return NotFoundPage();
        if (!outcome.Succeeded) return await RefusedAsync(id, null, new FormOutcome(false, outcome.Errors.ToDictionary(e => "person", e => e.Value), false), ct);
        Tell("Enrolled. The first step runs at the scheduler's next tick.");
        return Redirect($"/programs/{id}");
    }

    public async Task<IActionResult> OnPostEnrollMatchingAsync(long id, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var result = await ProgramEntry.EnrollMatching(id, db, programs, clock, ct);
        if (result.Result is Ok<ProgramEntry.EnrollResultDto> ok)
        {
            Tell($"{ok.Value!.Entered} entered the program; {ok.Value.HeldOut} of them are in the holdout and get no email.");
            return Redirect($"/programs/{id}");
        }
        var outcome = FormOutcome.Of(result.Result);
        return outcome.NotFound ? NotFoundPage() : await RefusedAsync(id, null, outcome, ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, [FromForm] long enrollment, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var outcome = FormOutcome.Of((await ProgramEntry.Remove(enrollment, db, clock, ct)).Result);
        if (!outcome.Succeeded) return await RefusedAsync(id, null, outcome, ct);
        Tell("Removed from the program.");
        return Redirect($"/programs/{id}");
    }

    /// <summary>The step's figures by key, or none yet.</summary>
    public StepFiguresDto? StepFigures(string key) => Program?.Figures.Steps.FirstOrDefault(s => s.Key == key);

    /// <summary>The steps of the published version (or the draft before the first publish), as key and type, in order.</summary>
    public IEnumerable<(string Key, string Type, string Summary)> Steps()
    {
        var source = Versions.Count > 0 ? Versions[0].Definition : Program?.Draft;
        if (source is not { ValueKind: JsonValueKind.Object } d || !d.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array) yield break;
        foreach (var s in steps.EnumerateArray())
        {
            var key = s.TryGetProperty("key", out var k) ? k.GetString() ?? "" : "";
            var type = s.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
            var details = s.EnumerateObject().Where(p => p.Name is not ("key" or "type")).Select(p => $"{p.Name}: {p.Value}");
            yield return (key, type, string.Join(" · ", details));
        }
    }

    public static string Percent(long part, long whole) => whole == 0 ? "–" : $"{100.0 * part / whole:0.#}%";

    private async Task<IActionResult> ChangeAsync(long id, Func<Task<IResult>> change, string done, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var outcome = FormOutcome.Of(await change());
        if (outcome.NotFound) return NotFoundPage();
        if (!outcome.Succeeded) return await RefusedAsync(id, null, outcome, ct);
        Tell(done);
        return Redirect($"/programs/{id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if ((await ManagePrograms.Get(id, db, ct)).Result is not Ok<ManagePrograms.ProgramDto> { Value: { } program }) return false;
        Program = program;
        DraftJson = JsonSerializer.Serialize(program.Draft, Indented);
        Versions = (await ManagePrograms.Versions(id, db, ct)).Result is Ok<IReadOnlyList<ManagePrograms.VersionDto>> v ? v.Value ?? [] : [];
        Enrollments = (await ProgramEntry.ListEnrollments(id, null, 50, db, ct)).Result is Ok<IReadOnlyList<ProgramEntry.EnrollmentDto>> e ? e.Value ?? [] : [];
        var ids = Enrollments.Select(x => x.PersonId).Distinct().ToArray();
        PersonNames = ids.Length == 0 ? new Dictionary<long, string>() : (await db.ReadAsync(c => c.QueryAsync<(long Id, string? First, string? Last, string? Email)>(
            "SELECT id, first_name, last_name, email FROM people WHERE id IN @ids", new { ids }), ct))
            .ToDictionary(r => r.Id, r => $"{r.First} {r.Last}".Trim() is { Length: > 0 } n ? n : r.Email ?? $"Person {r.Id}");
        return true;
    }

    private async Task<IActionResult> RefusedAsync(long id, string? definition, FormOutcome outcome, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFoundPage();
        if (definition is not null) DraftJson = definition;
        Outcome = outcome;
        Response.StatusCode = 422;
        return Page();
    }

    private static bool TryParse(string? text, out JsonElement json)
    {
        json = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        try
        {
            using var doc = JsonDocument.Parse(text);
            json = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException) { return false; }
    }

    private static string ParseError(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "the definition is empty.";
        try { using var _ = JsonDocument.Parse(text); return ""; }
        catch (JsonException e) { return e.Message; }
    }

    private ViewResult NoAccess() => new() { ViewName = "NoAccess", StatusCode = 403 };
}
