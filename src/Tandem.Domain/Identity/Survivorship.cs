namespace Tandem.Domain.Identity;

/// <summary>
/// Decides which value of a field survives when records meet: the newest non-empty value wins,
/// unless the field is locked, in which case the current value stays whatever arrives.
/// </summary>
public static class Survivorship
{
    /// <summary>Applies values observed at <paramref name="observedAt"/> to <paramref name="current"/>.</summary>
    /// <returns>The resulting profile and the names of the fields whose value changed.</returns>
    public static (Profile Profile, IReadOnlyList<string> Changed) Apply(
        Profile current, IReadOnlyDictionary<string, string?> incoming, DateTimeOffset observedAt)
    {
        var fields = new Dictionary<string, FieldValue>(current.Fields);
        var changed = new List<string>();
        foreach (var (field, raw) in incoming)
        {
            var value = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
            if (value is null || current.Locked.Contains(field)) continue;
            if (fields.TryGetValue(field, out var existing) && !existing.IsEmpty)
            {
                if (existing.ObservedAt > observedAt) continue; // an older observation never overwrites a newer one
                if (existing.Value == value) continue;
            }
            fields[field] = new FieldValue(value, observedAt);
            changed.Add(field);
        }
        return (current with { Fields = fields }, changed);
    }

    /// <summary>
    /// Fills only the fields <paramref name="current"/> has no value for — what an anonymous source such as a public web
    /// form may do: add to what is known about a person, never replace what someone (sales, an import, the API) set.
    /// </summary>
    public static (Profile Profile, IReadOnlyList<string> Changed) Fill(
        Profile current, IReadOnlyDictionary<string, string?> incoming, DateTimeOffset observedAt) =>
        Apply(current, incoming.Where(f => current[f.Key] is null).ToDictionary(f => f.Key, f => f.Value), observedAt);

    /// <summary>Combines two people's profiles field by field; the survivor's locks hold, and both sets of locks are kept.</summary>
    public static Profile Merge(Profile survivor, Profile merged)
    {
        var fields = new Dictionary<string, FieldValue>(survivor.Fields);
        foreach (var (field, candidate) in merged.Fields)
        {
            if (candidate.IsEmpty || survivor.Locked.Contains(field)) continue;
            if (!fields.TryGetValue(field, out var existing) || existing.IsEmpty || candidate.ObservedAt > existing.ObservedAt)
                fields[field] = candidate;
        }
        var locked = new HashSet<string>(survivor.Locked);
        locked.UnionWith(merged.Locked);
        return new Profile(fields, locked);
    }
}
