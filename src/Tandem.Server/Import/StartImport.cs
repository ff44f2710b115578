using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Tandem.Domain.Import;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Security;
using Tandem.Server.Storage;

using Tandem.Server.Lifecycle;

namespace Tandem.Server.Import;

/// <summary>
/// POST /api/v1/imports (multipart/form-data): a "file" part, and optional "preset", "mapping" (JSON) and
/// "dryRun" parts. The file streams to disk; the job runs in the background (202), or a dry run answers at once (200).
/// </summary>
internal static class StartImport
{
    public static async Task<Results<Accepted<ImportJobDto>, Ok<ImportPreviewDto>, ValidationProblem>> Handle(
        HttpContext http, ImportUploads uploads, ImportSettings settings, LifecycleSettings lifecycle, TimeProvider clock, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = settings.MaxUploadBytes;
        var boundary = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
            return Problems.Field("file", "Send the file as multipart/form-data with a part named 'file'.");

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        StoredFile? stored = null; string? fileName = null;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    if (stored is not null) return Discard(stored, "file", "Send one file per import.");
                    fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload.csv");
                    stored = await uploads.SaveAsync(section.Body, ct);
                }
                else
                {
                    // Every other part is a short setting: read at most its limit, never a whole part into memory.
                    var value = await ReadCappedAsync(section.Body, MaxFieldChars, ct);
                    if (value is null)
                        return stored is null ? Problems.Field(name, "Must be at most 64 KB.") : Discard(stored, name, "Must be at most 64 KB.");
                    fields[name] = value;
                }
            }
            if (stored is null) return Problems.Field("file", "A part named 'file' with the CSV is required.");
            if (stored.Bytes == 0) return Discard(stored, "file", "The file is empty.");

            var v = new Validation();
            var overrides = ParseOverrides(fields.GetValueOrDefault("mapping"), v);
            var preset = fields.GetValueOrDefault("preset")?.Trim() is { Length: > 0 } p ? p.ToLowerInvariant() : ImportPresets.Auto;
            var dryRun = fields.GetValueOrDefault("dryRun") is { } d && CellValues.TryBoolean(d.Trim(), out var dry) && dry;
            if (!v.IsValid) { ImportUploads.Discard(stored.Path); return v.ToProblem(); }

            if (dryRun)
            {
                var (preview, problems) = ImportPreview.Run(stored.Path, preset, overrides, lifecycle, ct);
                ImportUploads.Discard(stored.Path);
                return preview is null ? Problems.Fields(problems.ToDictionary(x => x.Key, x => new[] { x.Value })) : TypedResults.Ok(preview);
            }
            // Only the header is checked here, so a large file is accepted at once; its rows are validated by the job.
            if (ImportPreview.CheckHeader(stored.Path, preset, overrides) is { Count: > 0 } headerProblems)
            {
                ImportUploads.Discard(stored.Path);
                return Problems.Fields(headerProblems.ToDictionary(x => x.Key, x => new[] { x.Value }));
            }
            var job = await uploads.CreateJobAsync(fileName ?? "upload.csv", stored, preset, overrides, Actors.Of(http.User), ct: ct);
            stored = null; // the job owns the file now, and removes it when it ends
            return TypedResults.Accepted($"/api/v1/imports/{job.Id}", ImportJobDto.From(job, clock.GetUtcNow()));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            if (stored is not null) ImportUploads.Discard(stored.Path);
            return Problems.Field("file", $"The file is larger than the {settings.MaxUploadBytes:N0}-byte limit (Tandem:Import:MaxUploadBytes).");
        }
        catch
        {
            // Any other failure (the client went away, a malformed body, the database) leaves no orphaned upload behind.
            if (stored is not null) ImportUploads.Discard(stored.Path);
            throw;
        }
    }

    /// <summary>The longest setting part (mapping, preset, dryRun) in characters.</summary>
    private const int MaxFieldChars = 64 * 1024;

    /// <summary>The part's text, or null when it is longer than <paramref name="max"/> characters (reading stops there).</summary>
    private static async Task<string?> ReadCappedAsync(Stream body, int max, CancellationToken ct)
    {
        using var text = new StreamReader(body);
        var buffer = new char[max + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await text.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        return read > max ? null : new string(buffer, 0, read);
    }

    private static ValidationProblem Discard(StoredFile stored, string field, string reason)
    {
        ImportUploads.Discard(stored.Path);
        return Problems.Field(field, reason);
    }

    /// <summary>Reads the mapping part: {"columns":{…},"stages":{…},"externalIdSource":"…","placeholders":[…],"outcomeStage":"…"}.</summary>
    public static ImportOverrides ParseOverrides(string? json, Validation v)
    {
        if (string.IsNullOrWhiteSpace(json)) return new ImportOverrides();
        try
        {
            return JsonSerializer.Deserialize<ImportOverrides>(json, Json.Options) ?? new ImportOverrides();
        }
        catch (JsonException e)
        {
            v.Add("mapping", $"Not valid mapping JSON{(e.Path is { Length: > 1 } path ? $" at {path}" : "")}: {e.Message.Split('.')[0]}.");
            return new ImportOverrides();
        }
    }
}

/// <summary>Import settings under Tandem:Import.</summary>
/// <param name="MaxUploadBytes">The largest file POST /imports accepts (default 4 GB).</param>
/// <param name="RunJobs">Whether this server runs queued imports in the background (default true).</param>
internal sealed record ImportSettings(long MaxUploadBytes, bool RunJobs)
{
    public static ImportSettings From(IConfiguration config) =>
        new(config.GetValue<long?>("Tandem:Import:MaxUploadBytes") ?? 4L * 1024 * 1024 * 1024,
            config.GetValue<bool?>("Tandem:Import:RunJobs") ?? true);
}
