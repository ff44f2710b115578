using System.Globalization;
using System.Text.Json.Serialization;

namespace Tandem.Domain.Prediction;

/// <summary>A text field and the values it keeps as their own feature; anything else reads as "(other)", no value as "(unknown)".</summary>
public sealed record CategoricalField(string Name, IReadOnlyList<string> Values);

/// <summary>How the schema is fitted to a training set.</summary>
/// <param name="Exclude">Field names left out ("custom.tags"); a trailing * matches a prefix ("custom.asymmetrique_*").</param>
/// <param name="MinCount">A value (or an activity type) seen on fewer training people is rare: it joins "(other)".</param>
/// <param name="MaxValues">At most this many values of one field get their own feature, the most frequent first.</param>
public sealed record FeatureOptions(IReadOnlyList<string> Exclude, int MinCount = 10, int MaxValues = 30)
{
    public bool Excludes(string field) => Exclude.Any(pattern => pattern.EndsWith('*')
        ? field.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : field.Equals(pattern, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The features a model reads, fitted on its training people and stored with it, so a person is encoded the same way
/// at training and at prediction. Every slot belongs to one field (or activity type): that is what a reason names.
/// </summary>
public sealed record FeatureSchema(IReadOnlyList<CategoricalField> Categorical, IReadOnlyList<string> Numeric, IReadOnlyList<string> ActivityTypes)
{
    public const string Other = "(other)";
    public const string Unknown = "(unknown)";
    private const double DayMs = 86_400_000;

    /// <summary>What a missing number reads as: below any real value, so a tree can split "unknown" off on its own.
    /// (Boosted trees in ML.NET skip a row with a NaN anywhere, so missing cannot be NaN.)</summary>
    public const float Missing = -1e9f;

    /// <summary>The field (or "activity:type") each slot belongs to, in slot order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> SlotGroups => slotGroups ??= BuildSlotGroups();
    private IReadOnlyList<string>? slotGroups;

    [JsonIgnore]
    public int Width => SlotGroups.Count;

    /// <summary>Every field and activity type the model reads, in the order of their slots.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Groups => SlotGroups.Distinct().ToList();

    private List<string> BuildSlotGroups()
    {
        var groups = new List<string>();
        foreach (var field in Categorical) groups.AddRange(Enumerable.Repeat(field.Name, field.Values.Count + 2));
        groups.AddRange(Numeric);
        foreach (var type in ActivityTypes) groups.AddRange([ActivityGroup(type), ActivityGroup(type)]);
        return groups;
    }

    public static string ActivityGroup(string type) => "activity:" + type;

    /// <summary>Fits the schema on the training people: which fields are numbers, which values are common, which activity types recur.</summary>
    public static FeatureSchema Fit(IReadOnlyList<PersonSnapshot> people, FeatureOptions options)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var activityPeople = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var person in people)
        {
            foreach (var (name, value) in person.Fields)
            {
                if (value is null || options.Excludes(name)) continue;
                if (!values.TryGetValue(name, out var list)) values[name] = list = [];
                list.Add(value.Trim());
            }
            foreach (var type in person.Activities.Select(a => a.Type).Distinct())
                activityPeople[type] = activityPeople.GetValueOrDefault(type) + 1;
        }

        var categorical = new List<CategoricalField>();
        var numeric = new List<string>();
        foreach (var (name, list) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (list.Count < options.MinCount) continue;
            var numbers = list.Count(v => TryNumber(v, out _));
            if (numbers >= 0.95 * list.Count && list.Distinct().Skip(2).Any()) { numeric.Add(name); continue; }
            var common = list.GroupBy(Key).Where(g => g.Count() >= options.MinCount)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(options.MaxValues)
                .Select(g => g.Key).ToList();
            // A field whose every value is rare (names, ids, free text) says nothing a model can learn from.
            if (common.Count > 0) categorical.Add(new CategoricalField(name, common));
        }
        var types = activityPeople.Where(a => a.Value >= options.MinCount && !options.Excludes(ActivityGroup(a.Key)))
            .Select(a => a.Key).OrderBy(t => t, StringComparer.Ordinal).ToList();
        return new FeatureSchema(categorical, numeric, types);
    }

    /// <summary>The person's features as of an instant: activities after it are not seen.</summary>
    public float[] Encode(PersonSnapshot person, long asOf)
    {
        var slots = new float[Width];
        var i = 0;
        foreach (var field in Categorical)
        {
            var value = person.Fields.GetValueOrDefault(field.Name);
            var at = value is null ? field.Values.Count + 1 : IndexOf(field.Values, Key(value.Trim())) is var k && k >= 0 ? k : field.Values.Count;
            slots[i + at] = 1;
            i += field.Values.Count + 2;
        }
        foreach (var name in Numeric)
            slots[i++] = person.Fields.GetValueOrDefault(name) is { } v && TryNumber(v.Trim(), out var n) ? (float)n : Missing;
        foreach (var type in ActivityTypes)
        {
            double amount = 0; long? last = null;
            foreach (var a in person.Activities)
            {
                if (a.OccurredAt > asOf || a.Type != type) continue;
                amount += a.Amount;
                if (last is null || a.OccurredAt > last) last = a.OccurredAt;
            }
            slots[i++] = (float)amount;
            // When in the lead's life the last one happened, not how long before the outcome: time before the outcome
            // differs by construction between a lead that converted (right after) and one the window ran out on.
            slots[i++] = last is { } l ? (float)Math.Max(0, (l - person.CreatedAt) / DayMs) : Missing;
        }
        return slots;
    }

    /// <summary>What the person has in a field or activity group, in words: "API", "2.5", "12 (last on day 3)", "none".</summary>
    public string Describe(PersonSnapshot person, string group, long asOf)
    {
        if (group.StartsWith("activity:", StringComparison.Ordinal))
        {
            var type = group["activity:".Length..];
            var seen = person.Activities.Where(a => a.Type == type && a.OccurredAt <= asOf).ToList();
            return seen.Count == 0 ? "0" : seen.Sum(a => a.Amount).ToString("0.##", CultureInfo.InvariantCulture);
        }
        var value = person.Fields.GetValueOrDefault(group)?.Trim();
        if (value is null) return "unknown";
        if (Categorical.FirstOrDefault(c => c.Name == group) is { } field && IndexOf(field.Values, Key(value)) < 0) return $"{value} (rare)";
        return value;
    }

    /// <summary>A field name as people read it: "custom.lead_origin" → "Lead origin", "activity:website_visits" → "Website visits".</summary>
    public static string Label(string group)
    {
        var name = group;
        foreach (var prefix in new[] { "custom.", "activity:", "account." })
            if (name.StartsWith(prefix, StringComparison.Ordinal)) name = (prefix == "account." ? "account " : "") + name[prefix.Length..];
        name = name.Replace('_', ' ').Replace('.', ' ');
        var spaced = string.Concat(name.Select((ch, i) => i > 0 && char.IsUpper(ch) && char.IsLower(name[i - 1]) ? " " + char.ToLowerInvariant(ch) : ch.ToString()));
        return spaced.Length == 0 ? group : char.ToUpperInvariant(spaced[0]) + spaced[1..];
    }

    private static int IndexOf(IReadOnlyList<string> values, string key)
    {
        for (var i = 0; i < values.Count; i++) if (values[i] == key) return i;
        return -1;
    }

    /// <summary>Values compare without case: "google" and "Google" are one value.</summary>
    private static string Key(string value) => value.ToLowerInvariant();

    public static bool TryNumber(string value, out double number) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
}
