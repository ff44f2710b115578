namespace Tandem.Domain.Import;

/// <summary>
/// A source system's standard export: its column headers mapped to targets, its status values mapped
/// to stages, and the headers that identify a file as coming from it.
/// </summary>
public sealed record ImportPreset(
    string Name,
    string ExternalIdSource,
    IReadOnlyDictionary<string, string> Columns,
    IReadOnlyDictionary<string, string> Stages,
    IReadOnlyList<string> Signature)
{
    /// <summary>The target for a header of this system's export, compared after normalizing.</summary>
    public string? TargetFor(string header) =>
        NormalizedColumns.TryGetValue(HeaderMatching.Normalize(header), out var t) ? t : null;

    private Dictionary<string, string>? normalized;
    private Dictionary<string, string> NormalizedColumns =>
        normalized ??= Columns.DistinctBy(c => HeaderMatching.Normalize(c.Key)).ToDictionary(c => HeaderMatching.Normalize(c.Key), c => c.Value);

    /// <summary>True when every signature header is present.</summary>
    public bool Recognizes(IReadOnlyCollection<string> headers)
    {
        var present = headers.Select(HeaderMatching.Normalize).ToHashSet();
        return Signature.All(s => s.Split('|').Any(alt => present.Contains(HeaderMatching.Normalize(alt))));
    }
}

public static partial class ImportPresets
{
    public const string Auto = "auto";

    public static IReadOnlyList<ImportPreset> All => [Salesforce, HubSpot, Mautic, Pipedrive, Tandem];

    public static IReadOnlyList<string> Names => [.. All.Select(p => p.Name), Auto];

    /// <summary>A preset as people name the system it comes from: "hubspot" is HubSpot.</summary>
    public static string DisplayName(string name) => name.Trim().ToLowerInvariant() switch
    {
        Auto => "Recognize it (auto)",
        "salesforce" => "Salesforce",
        "hubspot" => "HubSpot",
        "mautic" => "Mautic",
        "pipedrive" => "Pipedrive",
        "tandem" => "Tandem export",
        var other => other.Length == 0 ? other : char.ToUpperInvariant(other[0]) + other[1..],
    };

    public static ImportPreset? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The preset whose signature the header carries, most specific first; null when none does.</summary>
    public static ImportPreset? Recognize(IReadOnlyCollection<string> headers) =>
        All.Where(p => p.Recognizes(headers))
            .OrderByDescending(p => headers.Count(h => p.TargetFor(h) is not null))
            .FirstOrDefault();

    private static string Custom(string name) => "custom." + name;
}
