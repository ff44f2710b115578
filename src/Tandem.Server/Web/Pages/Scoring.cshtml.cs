using Microsoft.AspNetCore.Mvc;
using Tandem.Domain.Scoring;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Scoring;

namespace Tandem.Server.Web.Pages;

/// <summary>
/// The scoring model both teams agreed on, readable by everyone; admin and marketing edit it, preview how many people
/// the change would move into and out of MQL, then publish it and watch everyone being re-scored.
/// </summary>
internal sealed class ScoringPageModel(ScoringModels models, RescoreEveryone rescore, RescoreJobs jobs, Database db) : TandemPageModel
{
    public CompiledModel? Active { get; private set; }
    public IReadOnlyList<ScoringModels.Version> Versions { get; private set; } = [];
    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;

    /// <summary>What the editor shows: the model's JSON (without "mql") and the MQL rows.</summary>
    public string EditorJson { get; private set; } = "";
    public List<ScoringDraft.ClauseInput> Clauses { get; private set; } = [];
    public IReadOnlyDictionary<string, List<string>> Problems { get; private set; } = new Dictionary<string, List<string>>();

    /// <summary>After Preview: what publishing the draft would do, and the exact model that Publish would store.</summary>
    public RescoreEveryone.Impact? Preview { get; private set; }
    public ScoringModel? Draft { get; private set; }
    public string? DraftJson { get; private set; }

    public RescoreJobs.Job? Job { get; private set; }

    public async Task OnGetAsync([FromQuery] long? job, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Active is not null) { EditorJson = ScoringDraft.EditableJson(Active.Model); Clauses = ScoringDraft.Rows(Active.Model); }
        if (job is { } id) Job = await jobs.GetAsync(id, ct);
    }

    public async Task<IActionResult> OnPostPreviewAsync([FromForm] string? modelJson, [FromForm] List<ScoringDraft.ClauseInput>? clauses, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        await LoadAsync(ct);
        EditorJson = modelJson ?? "";
        Clauses = [.. clauses ?? []];
        if (Clauses.Count == 0 || !Clauses[^1].IsBlank) Clauses.Add(new ScoringDraft.ClauseInput());
        var (model, problems) = ScoringDraft.Read(modelJson, clauses ?? []);
        if (model is null) return Refused(problems);
        Draft = model;
        DraftJson = ScoringDraft.FullJson(model);
        Preview = await rescore.RunAsync(new CompiledModel(0, model), dryRun: true, ct: ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync([FromForm] string? draftJson, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var (model, problems) = ScoringDraft.ReadFull(draftJson);
        if (model is null)
        {
            await LoadAsync(ct);
            if (Active is not null) { EditorJson = ScoringDraft.EditableJson(Active.Model); Clauses = ScoringDraft.Rows(Active.Model); }
            return Refused(problems);
        }
        var version = await db.WriteAsync((c, tx) => models.PublishAsync(c, tx, model, Actor.Name), ct);
        var job = await jobs.StartAsync(version, ct, Me.Id);
        Tell($"Published version {version}. Everyone is being re-scored under it.");
        return Redirect($"/scoring?job={job}");
    }

    /// <summary>The problems of one path, for showing beside its field.</summary>
    public IReadOnlyList<string> ProblemsAt(string path) => Problems.TryGetValue(path, out var list) ? list : [];

    /// <summary>The problems that belong to the JSON editor: everything but the MQL rows.</summary>
    public IEnumerable<KeyValuePair<string, List<string>>> ModelProblems => Problems.Where(p => !p.Key.StartsWith("mql", StringComparison.Ordinal));

    private IActionResult Refused(Dictionary<string, List<string>> problems)
    {
        Problems = problems;
        Response.StatusCode = 422;
        return Page();
    }

    private IActionResult NoAccess() => new ViewResult { ViewName = "NoAccess", StatusCode = 403 };

    private async Task LoadAsync(CancellationToken ct)
    {
        Active = await models.ActiveAsync(ct);
        Versions = await models.ListAsync(ct);
    }
}
