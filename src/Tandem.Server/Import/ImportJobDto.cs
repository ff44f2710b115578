using Tandem.Domain.Import;
using Tandem.Server.Storage;

namespace Tandem.Server.Import;

internal sealed record ImportCountsDto(long Created, long Updated, long Unchanged, long Skipped, long Errors, long Activities);

internal sealed record ImportProgressDto(long RowsDone, long BytesDone, long FileBytes, double Percent, double? RowsPerSecond);

/// <summary>An import job as the API shows it.</summary>
internal sealed record ImportJobDto(
    long Id, string Status, string FileName, string Preset, string? DetectedPreset, string? Encoding, string? Delimiter,
    ImportProgressDto Progress, ImportCountsDto Counts, IReadOnlyList<ColumnMapping> Mapping, string? Failure,
    string ErrorsUrl, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static ImportJobDto From(ImportJobRow j, DateTimeOffset now)
    {
        var end = j.FinishedAt ?? now.ToUnixTimeMilliseconds();
        double? rate = j.StartedAt is { } s && end > s && j.RowsDone > 0 ? Math.Round(j.RowsDone / ((end - s) / 1000.0), 1) : null;
        var percent = j.Status == ImportStatus.Completed ? 100 : j.FileBytes == 0 ? 0 : Math.Round(100.0 * j.BytesDone / j.FileBytes, 1);
        return new ImportJobDto(j.Id, j.Status, j.FileName, j.Preset, j.DetectedPreset, j.Encoding, j.Delimiter,
            new ImportProgressDto(j.RowsDone, j.BytesDone, j.FileBytes, percent, rate),
            new ImportCountsDto(j.CreatedCount, j.UpdatedCount, j.UnchangedCount, j.SkippedCount, j.ErrorCount, j.ActivityCount),
            Json.Read(j.Mapping, new List<ColumnMapping>()), j.Failure, $"/api/v1/imports/{j.Id}/errors",
            At(j.CreatedAt), j.StartedAt is { } st ? At(st) : null, j.FinishedAt is { } f ? At(f) : null);
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
