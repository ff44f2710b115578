using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;

namespace Tandem.Domain.Import;

/// <summary>What a user may set on top of a preset (the --mapping file or the API's mapping part).</summary>
public sealed record ImportOverrides
{
    /// <summary>Header → target ("email", "custom.tier", "ignore", …).</summary>
    public Dictionary<string, string>? Columns { get; init; }
    /// <summary>Source value → "Stage" or "Stage:reason-code".</summary>
    public Dictionary<string, string>? Stages { get; init; }
    /// <summary>The source name external ids are kept under (default: the preset's name, or "import").</summary>
    public string? ExternalIdSource { get; init; }
    /// <summary>Cell values read as unknown; replaces the default list.</summary>
    public List<string>? Placeholders { get; init; }
    /// <summary>The stage a true outcome moves the person to (default Customer).</summary>
    public string? OutcomeStage { get; init; }
}

/// <summary>One column's mapping and how it was decided, as shown by a dry run.</summary>
public sealed record ColumnMapping(int Index, string Header, string Target, string How);

/// <summary>The resolved plan for a file: a target per column, the stage map, the values read as unknown.</summary>
public sealed class ImportMapping
{
    public required string Preset { get; init; }
    public required string ExternalIdSource { get; init; }
    public required IReadOnlyList<ColumnMapping> Columns { get; init; }
    public required StageMap Stages { get; init; }
    public required CellValues Values { get; init; }
    public required Stage OutcomeStage { get; init; }

    /// <summary>
    /// Decides every column: the user's overrides first, then the preset (named, or recognized from the
    /// header under "auto"), then known header names and similar ones, and the rest become custom fields.
    /// Each target is fed by one column only; a later column that would feed it becomes a custom field.
    /// </summary>
    /// <returns>The mapping, or the problems with the request (field name → reason).</returns>
    public static (ImportMapping? Mapping, Dictionary<string, string> Problems) Resolve(
        IReadOnlyList<string> headers, string? presetName, ImportOverrides? overrides)
    {
        var problems = new Dictionary<string, string>();
        overrides ??= new ImportOverrides();
        ImportPreset? preset = null;
        var requested = string.IsNullOrWhiteSpace(presetName) ? ImportPresets.Auto : presetName.Trim().ToLowerInvariant();
        if (requested == ImportPresets.Auto) preset = ImportPresets.Recognize(headers);
        else if ((preset = ImportPresets.Find(requested)) is null)
            problems["preset"] = $"'{requested}' is not a preset; use one of: {string.Join(", ", ImportPresets.Names)}.";

        var columnOverrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (header, target) in overrides.Columns ?? [])
        {
            if (!ImportTargets.IsValid(target.Trim()))
                problems[$"mapping.columns.{header}"] = $"'{target}' is not a target; use one of: {string.Join(", ", ImportTargets.All)}, or custom.<name>.";
            else if (!headers.Contains(header, StringComparer.OrdinalIgnoreCase))
                problems[$"mapping.columns.{header}"] = "The file has no column with this header.";
            else columnOverrides[header.Trim()] = target.Trim();
        }

        var stages = new StageMap(preset?.Stages ?? new Dictionary<string, string>());
        foreach (var (value, target) in overrides.Stages ?? [])
            if (!stages.Set(value, target))
                problems[$"mapping.stages.{value}"] = $"'{target}' is not a stage; use one of: {string.Join(", ", Lifecycle.Stages.Names)} (optionally 'Stage:reason-code').";

        var outcome = Stage.Customer;
        if (overrides.OutcomeStage is { } o && !Lifecycle.Stages.TryParse(o, out outcome))
            problems["mapping.outcomeStage"] = $"'{o}' is not a stage; use one of: {string.Join(", ", Lifecycle.Stages.Names)}.";
        if (overrides.ExternalIdSource is { } src && (src.Trim().Length is 0 or > 64))
            problems["mapping.externalIdSource"] = "Must be 1-64 characters.";
        if (problems.Count > 0) return (null, problems);

        var columns = Decide(headers, preset, columnOverrides);
        return (new ImportMapping
        {
            Preset = preset?.Name ?? ImportPresets.Auto,
            ExternalIdSource = overrides.ExternalIdSource?.Trim() ?? preset?.ExternalIdSource ?? "import",
            Columns = columns,
            Stages = stages,
            Values = overrides.Placeholders is { } p ? new CellValues(p) : CellValues.Default,
            OutcomeStage = outcome,
        }, problems);
    }

    private static List<ColumnMapping> Decide(IReadOnlyList<string> headers, ImportPreset? preset, Dictionary<string, string> overrides)
    {
        var decided = new ColumnMapping?[headers.Count];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        void Take(int i, string target, string how)
        {
            if (target != ImportTargets.Ignore && !target.StartsWith(PersonFields.CustomPrefix, StringComparison.Ordinal) && !taken.Add(target))
            {
                target = PersonFields.Custom(ImportTargets.CustomName(headers[i]));
                how = "custom field (its target is fed by an earlier column)";
            }
            decided[i] = new ColumnMapping(i, headers[i], target, how);
        }

        // Passes from most to least certain, so a certain match claims its target before a guess can.
        for (var i = 0; i < headers.Count; i++)
            if (overrides.TryGetValue(headers[i].Trim(), out var t)) Take(i, t, "your mapping");
        for (var i = 0; i < headers.Count; i++)
        {
            if (decided[i] is not null) continue;
            if (string.IsNullOrWhiteSpace(headers[i])) decided[i] = new ColumnMapping(i, headers[i], ImportTargets.Ignore, "no header");
            else if (preset?.TargetFor(headers[i]) is { } t) Take(i, t, $"{preset.Name} preset");
            else if (headers[i].Trim().StartsWith(PersonFields.CustomPrefix, StringComparison.OrdinalIgnoreCase)
                     && ImportTargets.IsValid(PersonFields.Custom(headers[i].Trim()[PersonFields.CustomPrefix.Length..])))
                Take(i, PersonFields.Custom(headers[i].Trim()[PersonFields.CustomPrefix.Length..]), "custom field");
        }
        for (var i = 0; i < headers.Count; i++)
            if (decided[i] is null && HeaderMatching.Match(headers[i]) is { How: "known header" } m) Take(i, m.Target, m.How);
        for (var i = 0; i < headers.Count; i++)
            if (decided[i] is null && HeaderMatching.Match(headers[i]) is { } m && !taken.Contains(m.Target)) Take(i, m.Target, m.How);
        for (var i = 0; i < headers.Count; i++)
            decided[i] ??= new ColumnMapping(i, headers[i], PersonFields.Custom(ImportTargets.CustomName(headers[i])), "custom field");
        return decided.Select(d => d!).ToList();
    }
}
