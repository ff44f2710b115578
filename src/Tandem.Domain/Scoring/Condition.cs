using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Tandem.Domain.Identity;

namespace Tandem.Domain.Scoring;

/// <summary>Where a condition reads its values: a person's fields, or an activity's properties.</summary>
public interface IFieldSource
{
    /// <summary>The field's value as text, or null when unknown.</summary>
    string? Get(string field);

    /// <summary>Whether the person matches the named persona (persona conditions only).</summary>
    bool HasPersona(string persona) => false;
}

/// <summary>
/// One test over a field. Operators: equals, in, range, contains, regex, exists, freeMail, persona.
/// Text comparisons ignore case. <see cref="Not"/> inverts the outcome.
/// </summary>
public sealed record Condition
{
    public static readonly IReadOnlyList<string> Operators = ["equals", "in", "range", "contains", "regex", "exists", "freeMail", "persona"];

    public string Field { get; init; } = "";
    public string Op { get; init; } = "equals";
    public string? Value { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
    public double? Min { get; init; }
    public double? Max { get; init; }
    public bool Not { get; init; }

    private static readonly ConcurrentDictionary<string, Regex> Regexes = new();

    /// <summary>The longest regex a model may hold: patterns are written by people, not generated.</summary>
    public const int MaxPatternLength = 500;

    /// <summary>How long one match may take before it counts as no match.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    // Apart from persona, a condition's outcome depends only on the one value it reads, and the same values
    // recur across thousands of people (titles, sizes, industries), so outcomes are remembered per value.
    private const int MemoLimit = 20_000;
    private ConcurrentDictionary<string, bool>? memo;
    private int memoized; // ConcurrentDictionary.Count takes every lock: keep our own count
    private int lookups, repeats;
    private volatile bool memoUseless; // values that never repeat (emails) are not worth remembering

    public bool Holds(IFieldSource source)
    {
        if (Op == "persona") return (Value is not null && source.HasPersona(Value)) != Not;
        var actual = source.Get(Field);
        if (actual is null) return Test(null) != Not;
        if (memoUseless) return Test(actual) != Not;
        memo ??= new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var seen = Interlocked.Increment(ref lookups);
        if (memo.TryGetValue(actual, out var known)) { Interlocked.Increment(ref repeats); return known; }
        if (seen > 2000 && repeats * 2 < seen) { memoUseless = true; memo = null; }
        var outcome = Test(actual) != Not;
        if (memo is not null && memoized < MemoLimit && memo.TryAdd(actual, outcome)) Interlocked.Increment(ref memoized);
        return outcome;
    }

    private bool Test(string? actual)
    {
        switch (Op)
        {
            case "exists": return !string.IsNullOrWhiteSpace(actual);
            case "freeMail": return actual is not null && FreeMailDomains.Contains(DomainOf(actual));
        }
        if (string.IsNullOrWhiteSpace(actual)) return false;
        return Op switch
        {
            "equals" => string.Equals(actual.Trim(), Value?.Trim(), StringComparison.OrdinalIgnoreCase),
            "in" => Values.Any(v => string.Equals(actual.Trim(), v.Trim(), StringComparison.OrdinalIgnoreCase)),
            "contains" => (Value is not null && actual.Contains(Value, StringComparison.OrdinalIgnoreCase))
                          || Values.Any(v => actual.Contains(v, StringComparison.OrdinalIgnoreCase)),
            "regex" => Value is not null && Matches(Value, actual),
            "range" => LeadingNumber(actual) is { } n && (Min is null || n >= Min) && (Max is null || n <= Max),
            _ => false,
        };
    }

    /// <summary>
    /// A pattern that takes too long on some value counts as no match, rather than stopping ingestion; so does one a
    /// model stored before patterns were checked as they are now (too long, or using what a linear-time engine cannot run).
    /// </summary>
    private static bool Matches(string pattern, string text)
    {
        try { return RegexFor(pattern).IsMatch(text); }
        catch (RegexMatchTimeoutException) { return false; }
        catch (ArgumentException) { return false; }
        catch (NotSupportedException) { return false; }
    }

    /// <summary>"51-200 employees" ranges on 51; "$1,200" on 1200.</summary>
    internal static double? LeadingNumber(string text)
    {
        var digits = new string(text.SkipWhile(ch => !char.IsDigit(ch) && ch != '-')
            .TakeWhile(ch => char.IsDigit(ch) || ch is '.' or ',' or '-').ToArray()).Replace(",", "");
        if (digits.Length > 1 && digits.IndexOf('-', 1) is var dash and > 0) digits = digits[..dash];
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static string DomainOf(string value)
    {
        var at = value.LastIndexOf('@');
        return (at >= 0 ? value[(at + 1)..] : value).Trim().ToLowerInvariant();
    }

    /// <summary>
    /// User-written patterns run on .NET's non-backtracking engine, whose time grows linearly with the text, so no pattern
    /// (such as (a+)+$) can stall scoring with catastrophic backtracking; the timeout and length cap bound the rest.
    /// Throws ArgumentException for a pattern that is too long or invalid, NotSupportedException for one the engine cannot run
    /// (backreferences, lookarounds).
    /// </summary>
    internal static Regex RegexFor(string pattern)
    {
        if (pattern.Length > MaxPatternLength) throw new ArgumentException($"Keep the pattern to {MaxPatternLength} characters; it has {pattern.Length}.");
        return Regexes.GetOrAdd(pattern, p => new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking,
            MatchTimeout));
    }

    /// <summary>A short human reading, for explanations: "title contains 'intern'".</summary>
    public override string ToString()
    {
        var what = Op switch
        {
            "in" => $"{Field} in [{string.Join(", ", Values)}]",
            "range" => $"{Field} in {Min?.ToString(CultureInfo.InvariantCulture) ?? "…"}–{Max?.ToString(CultureInfo.InvariantCulture) ?? "…"}",
            "exists" => $"{Field} is known",
            "freeMail" => $"{Field} is a free-mail address",
            "persona" => $"persona '{Value}'",
            "contains" when Values.Count > 0 => $"{Field} contains any of [{string.Join(", ", Values)}]",
            _ => $"{Field} {Op} '{Value}'",
        };
        return Not ? "not " + what : what;
    }
}
