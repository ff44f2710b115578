using System.Globalization;
using System.Text.Json;

namespace Tandem.Bench.Kit;

/// <summary>
/// A benchmark's results: rows of named figures printed as a table, target checks, and the same
/// data written to <c>OUT/&lt;name&gt;.json</c> for tools and for comparing runs.
/// </summary>
public sealed class BenchReport(string name, BenchArguments arguments)
{
    private readonly DateTimeOffset startedAt = DateTimeOffset.UtcNow;
    private readonly string? loadAtStart = LoadAverage();
    private readonly List<Dictionary<string, object?>> rows = [];
    private readonly List<TargetCheck> targets = [];
    private readonly Dictionary<string, object?> settings = [];

    public sealed record TargetCheck(string Engine, string What, string Target, double Measured, bool Met);

    /// <summary>A parameter of the run (sizes, rates, concurrency), recorded with the results.</summary>
    public void Setting(string key, object? value) => settings[key] = value;

    /// <summary>One line of the table; keys are the column headings, in order.</summary>
    public void Row(Dictionary<string, object?> row) =>
        rows.Add(row.ToDictionary(e => e.Key, e => e.Value is double d && !double.IsFinite(d) ? null : e.Value)); // no sample, no figure

    public void Target(string engine, string what, string target, double measured, bool met) =>
        targets.Add(new TargetCheck(engine, what, target, measured, met));

    public async Task<string> WriteAsync()
    {
        PrintTable();
        Directory.CreateDirectory(arguments.OutDir);
        var path = Path.Combine(arguments.OutDir, name + ".json");
        var document = new
        {
            benchmark = name,
            startedAt,
            finishedAt = DateTimeOffset.UtcNow,
            quick = arguments.Quick,
            // Other work on the machine skews every figure; the load average says how much there was.
            machine = new
            {
                processors = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString(),
                loadAverageAtStart = loadAtStart, loadAverageAtEnd = LoadAverage(),
            },
            settings,
            results = rows,
            targets,
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        }));
        Console.WriteLine($"Results written to {path}");
        return path;
    }

    private void PrintTable()
    {
        Console.WriteLine();
        Console.WriteLine($"== {name}{(arguments.Quick ? " (quick)" : "")} ==");
        Console.WriteLine($"load average (1, 5, 15 min) at start: {loadAtStart ?? "n/a"}, now: {LoadAverage() ?? "n/a"} on {Environment.ProcessorCount} cores");
        if (settings.Count > 0) Console.WriteLine(string.Join(", ", settings.Select(s => $"{s.Key}={Format(s.Value)}")));
        if (rows.Count > 0)
        {
            var headings = rows.SelectMany(r => r.Keys).Distinct().ToList();
            var cells = rows.Select(r => headings.Select(h => r.TryGetValue(h, out var v) ? Format(v) : "").ToList()).ToList();
            var widths = headings.Select((h, i) => Math.Max(h.Length, cells.Max(c => c[i].Length))).ToList();
            Console.WriteLine(string.Join("  ", headings.Select((h, i) => h.PadLeft(widths[i]))));
            Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            foreach (var line in cells) Console.WriteLine(string.Join("  ", line.Select((c, i) => c.PadLeft(widths[i]))));
        }
        foreach (var t in targets)
            Console.WriteLine($"{(t.Met ? "MET " : "MISS")}  {t.Engine}: {t.What} {Format(t.Measured)} (target {t.Target})");
        Console.WriteLine();
    }

    private static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    private static string Format(object? value) => value switch
    {
        null => "",
        double d when Math.Abs(d) >= 100 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        int or long => string.Format(CultureInfo.InvariantCulture, "{0:N0}", value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
