using Tandem.Domain.Lifecycle;

namespace Tandem.Domain.Import;

/// <summary>Where a source system's status value lands: a Tandem stage, with a reason code for the side stages.</summary>
public sealed record StageTarget(Stage Stage, string? ReasonCode);

/// <summary>
/// Translates status and lifecycle values ("Working - Contacted", "marketingqualifiedlead", "Hot lead")
/// to Tandem stages. Values compare case- and punctuation-insensitively; Tandem's own stage names
/// always map to themselves. Entries are written "Stage" or "Stage:reason-code".
/// </summary>
public sealed class StageMap
{
    private readonly Dictionary<string, StageTarget> map = new(StringComparer.Ordinal);

    public StageMap(IEnumerable<KeyValuePair<string, string>> entries)
    {
        foreach (var stage in Enum.GetValues<Stage>()) map[Key(stage.ToString())] = new StageTarget(stage, null);
        foreach (var (value, target) in entries) Set(value, target);
    }

    public IReadOnlyDictionary<string, StageTarget> Entries => map;

    /// <summary>Adds or replaces an entry; false when <paramref name="target"/> names no stage.</summary>
    public bool Set(string value, string target)
    {
        if (!TryParseTarget(target, out var parsed)) return false;
        map[Key(value)] = parsed;
        return true;
    }

    public bool TryMap(string value, out StageTarget target) => map.TryGetValue(Key(value), out target!);

    public static bool TryParseTarget(string text, out StageTarget target)
    {
        target = null!;
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (!Stages.TryParse(parts[0], out var stage)) return false;
        target = new StageTarget(stage, parts.Length > 1 && parts[1].Length > 0 ? parts[1].ToLowerInvariant() : null);
        return true;
    }

    private static string Key(string value) => new string(value.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
}
