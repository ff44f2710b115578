using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Identity;

using Tandem.Server.Lifecycle;

namespace Tandem.Server.Import;

/// <summary>What a dry run shows: how the file reads, where each column goes, and the first problems. Nothing is written.</summary>
internal sealed record ImportPreviewDto(
    string Preset, string Encoding, string Delimiter, IReadOnlyList<ColumnMapping> Columns,
    long Rows, long ValidRows, long InvalidRows, long SkippedRows, IReadOnlyDictionary<string, long> Stages, IReadOnlyList<RowProblem> FirstProblems);

internal static class ImportPreview
{
    public const int MaxProblems = 20;

    /// <summary>Checks that the file has a header and that the preset and mapping fit it; the problems by field.</summary>
    public static Dictionary<string, string> CheckHeader(string path, string? preset, ImportOverrides overrides)
    {
        using var file = ImportFile.Open(path);
        if (file.Headers.Count == 0) return new Dictionary<string, string> { ["file"] = "The file is empty; the first row must be the column headers." };
        return ImportMapping.Resolve(file.Headers, preset, overrides).Problems;
    }

    /// <summary>Reads the whole file (streaming, no database) and validates every row.</summary>
    public static (ImportPreviewDto? Preview, Dictionary<string, string> Problems) Run(string path, string? preset, ImportOverrides overrides,
        LifecycleSettings lifecycle, CancellationToken ct = default)
    {
        using var file = ImportFile.Open(path);
        if (file.Headers.Count == 0) return (null, new Dictionary<string, string> { ["file"] = "The file is empty; the first row must be the column headers." });
        var (mapping, problems) = ImportMapping.Resolve(file.Headers, preset, overrides);
        if (mapping is null) return (null, problems);

        var mapper = new RowMapper(mapping);
        long rows = 0, valid = 0, invalid = 0, skipped = 0;
        var first = new List<RowProblem>();
        var stages = new SortedDictionary<string, long>();
        while (file.TryRead(out var cells))
        {
            if (++rows % 10_000 == 0) ct.ThrowIfCancellationRequested();
            var result = mapper.Map(file.RowNumber, cells);
            if (result.Skipped) { skipped++; continue; }
            var rowProblems = result.Problems.ToList();
            if (result.Row?.Stage is { Stage: var s } target && s.NeedsReason())
            {
                var reason = target.ReasonCode ?? lifecycle.ReasonCodes.For(s).FirstOrDefault();
                if (reason is null || !lifecycle.ReasonCodes.IsAllowed(s, reason))
                    rowProblems.Add(new RowProblem(file.RowNumber, null, reason, $"'{reason}' is not a reason code for {s}."));
            }
            if (rowProblems.Count > 0)
            {
                invalid++;
                foreach (var p in rowProblems) if (first.Count < MaxProblems) first.Add(p);
                continue;
            }
            valid++;
            var stage = result.Row!.Stage?.Stage.ToString() ?? "(unchanged)";
            stages[stage] = stages.GetValueOrDefault(stage) + 1;
        }
        return (new ImportPreviewDto(mapping.Preset, TextEncodings.Name(file.Encoding), Delimiters.Name(file.Delimiter), mapping.Columns,
            rows, valid, invalid, skipped, stages, first), problems);
    }
}
