using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Domain.Import;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Import;
using Tandem.Server.Storage;
using Tandem.Server.Users;

using Tandem.Server.Lifecycle;

namespace Tandem.Server.Web.Pages.Imports;

/// <summary>
/// Admin and marketing upload a CSV: a dry run shows how it reads, where each column goes and the first problems;
/// otherwise it becomes an import job (the same upload, preview and job code as POST /api/v1/imports).
/// </summary>
[ImportersOnly]
[RequestFormLimits(MultipartBodyLengthLimit = long.MaxValue)]
internal sealed class ImportsModel(ImportUploads uploads, ImportSettings settings, LifecycleSettings lifecycle, Database db, TimeProvider clock)
    : TandemPageModel
{
    public static bool MayImport(UserRow user) => user.Role is Roles.Admin or Roles.Marketing;

    public IReadOnlyList<ImportJobDto> Jobs { get; private set; } = [];
    public ImportPreviewDto? Preview { get; private set; }
    public string? PreviewFileName { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public string Preset { get; private set; } = ImportPresets.Auto;
    public string? Mapping { get; private set; }
    public bool DryRun { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!MayImport(Me)) return NoAccess();
        await LoadJobsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, [FromForm] string? preset, [FromForm] bool dryRun, [FromForm] string? mapping,
        CancellationToken ct)
    {
        if (!MayImport(Me)) return NoAccess();
        Preset = string.IsNullOrWhiteSpace(preset) ? ImportPresets.Auto : preset.Trim().ToLowerInvariant();
        Mapping = mapping;
        DryRun = dryRun;
        if (file is null || file.Length == 0) return await RefuseAsync("file", file is null ? "Choose a CSV file to upload." : "The file is empty.", ct);
        if (file.Length > settings.MaxUploadBytes)
            return await RefuseAsync("file", $"The file is larger than the {settings.MaxUploadBytes:N0}-byte limit (Tandem:Import:MaxUploadBytes).", ct);

        var v = new Validation();
        var overrides = StartImport.ParseOverrides(mapping, v);
        if (!v.IsValid) return await RefuseAsync(v.Errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value)), ct);

        StoredFile stored;
        await using (var content = file.OpenReadStream()) stored = await uploads.SaveAsync(content, ct);
        ImportJobRow job;
        try
        {
            var (preview, problems) = ImportPreview.Run(stored.Path, Preset, overrides, lifecycle, ct);
            if (preview is null || dryRun)
            {
                ImportUploads.Discard(stored.Path);
                if (preview is null) return await RefuseAsync(problems, ct);
                Preview = preview;
                PreviewFileName = Path.GetFileName(file.FileName);
                await LoadJobsAsync(ct);
                return Page();
            }
            job = await uploads.CreateJobAsync(Path.GetFileName(file.FileName) is { Length: > 0 } name ? name : "upload.csv", stored, Preset, overrides, Actor, ct: ct);
        }
        catch
        {
            ImportUploads.Discard(stored.Path); // no orphaned upload when reading it or recording the job fails
            throw;
        }
        Tell($"Importing {job.FileName}.");
        return Redirect($"/imports/{job.Id}");
    }

    private Task<IActionResult> RefuseAsync(string field, string reason, CancellationToken ct) =>
        RefuseAsync(new Dictionary<string, string> { [field] = reason }, ct);

    private async Task<IActionResult> RefuseAsync(Dictionary<string, string> errors, CancellationToken ct)
    {
        Errors = errors;
        Response.StatusCode = 422;
        await LoadJobsAsync(ct);
        return Page();
    }

    private async Task LoadJobsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Jobs = (await db.ReadAsync(c => ImportJobStore.ListAsync(c, 20), ct)).Select(j => ImportJobDto.From(j, now)).ToList();
    }

    private IActionResult NoAccess() => new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
}
