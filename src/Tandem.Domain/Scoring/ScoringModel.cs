namespace Tandem.Domain.Scoring;

/// <summary>
/// A scoring model as data: fit rules (who the person is), engagement rules (what they did, decaying),
/// personas, the grade and engagement bands, and the shared MQL definition. Versioned by the server;
/// the same model always gives the same score for the same facts at the same instant.
/// </summary>
public sealed record ScoringModel
{
    public string Name { get; init; } = "";
    public string? Description { get; init; }

    /// <summary>Fit points needed for each grade; below the C threshold a person is D.</summary>
    public GradeThresholds Grades { get; init; } = new();

    /// <summary>Raw (decayed) engagement points that count as 100; engagement is clamped to 0–100.</summary>
    public double EngagementScale { get; init; } = 100;

    /// <summary>Engagement needed for bands 1, 2 and 3 of the matrix (A1 is the best cell); below the last is band 4.</summary>
    public IReadOnlyList<int> EngagementBands { get; init; } = [75, 50, 25];

    public IReadOnlyList<Persona> Personas { get; init; } = [];
    public IReadOnlyList<FitRule> Fit { get; init; } = [];
    public IReadOnlyList<EngagementRule> Engagement { get; init; } = [];
    public MqlDefinition Mql { get; init; } = new();
}

public sealed record GradeThresholds(int A = 60, int B = 40, int C = 20)
{
    public string GradeFor(int fit) => fit >= A ? "A" : fit >= B ? "B" : fit >= C ? "C" : "D";
}

/// <summary>A named target profile: a person matches when every condition holds.</summary>
public sealed record Persona(string Name, IReadOnlyList<Condition> When, string? Description = null)
{
    public IReadOnlyList<Condition> When { get; init; } = When ?? [];
}

/// <summary>Points for who someone is. Negative points express disqualifiers (competitor, student, intern).</summary>
public sealed record FitRule(string Id, string Name, IReadOnlyList<Condition> When, int Points)
{
    public IReadOnlyList<Condition> When { get; init; } = When ?? [];
}

/// <summary>
/// Points for an activity of a type (or any type when null) whose properties satisfy the conditions.
/// Each award halves in value every <see cref="HalfLifeDays"/> (never, when null); at most
/// <see cref="CapPerDay"/> awards a UTC day and <see cref="CapLifetime"/> in all count.
/// </summary>
public sealed record EngagementRule(string Id, string Name, string? Type, IReadOnlyList<Condition> When, int Points,
    double? HalfLifeDays = null, int? CapPerDay = null, int? CapLifetime = null)
{
    public IReadOnlyList<Condition> When { get; init; } = When ?? [];
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>
    /// Whether an activity of <paramref name="type"/> is one this rule counts: names compare as <see cref="EventNames.Canonical"/>
    /// spells them, and an event also counts as the type it is a synonym of ("Demo Requested" as form_submitted).
    /// </summary>
    public bool MatchesType(string type)
    {
        if (Type is null && Types.Count == 0) return true;
        var canonical = EventNames.Canonical(type);
        var scored = EventNames.AsScored(type).Type;
        bool Names(string ruleType) => EventNames.Canonical(ruleType) is var r && (r == canonical || r == scored);
        return (Type is not null && Names(Type)) || Types.Any(Names);
    }
}
