namespace Tandem.Domain.Identity;

/// <summary>A field's value and the instant that value was observed at its source.</summary>
public readonly record struct FieldValue(string? Value, DateTimeOffset ObservedAt)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Value);
}

/// <summary>A person's descriptive fields with their observation times and the fields locked against change.</summary>
public sealed record Profile(IReadOnlyDictionary<string, FieldValue> Fields, IReadOnlySet<string> Locked)
{
    public static readonly Profile Empty = new(new Dictionary<string, FieldValue>(), new HashSet<string>());

    public string? this[string field] => Fields.TryGetValue(field, out var v) && !v.IsEmpty ? v.Value : null;
}

/// <summary>Opt-outs. They only ever accumulate when records combine: a merge must not re-subscribe anyone.</summary>
public sealed record Consent(bool DoNotEmail, bool DoNotCall, bool Unsubscribed)
{
    public static readonly Consent None = new(false, false, false);

    public Consent Combine(Consent other) =>
        new(DoNotEmail || other.DoNotEmail, DoNotCall || other.DoNotCall, Unsubscribed || other.Unsubscribed);
}
