namespace Tandem.Domain.Scoring;

/// <summary>
/// The shared definition of a marketing-qualified lead: a person qualifies when any clause holds.
/// A clause asks for a minimum grade and engagement, or a cell of the matrix (e.g. A1, A2).
/// </summary>
public sealed record MqlDefinition
{
    public IReadOnlyList<MqlClause> Any { get; init; } = [new MqlClause { MinGrade = "B", MinEngagement = 40 }];

    /// <summary>The first clause that holds, or null.</summary>
    public MqlClause? Match(string grade, int engagement, string cell) => Any.FirstOrDefault(c => c.Holds(grade, engagement, cell));

    public override string ToString() => string.Join(" or ", Any.Select(c => c.ToString()));
}

public sealed record MqlClause
{
    public string? MinGrade { get; init; }
    public int? MinEngagement { get; init; }
    public IReadOnlyList<string> Cells { get; init; } = [];

    public bool Holds(string grade, int engagement, string cell)
    {
        if (Cells.Count > 0 && !Cells.Contains(cell, StringComparer.OrdinalIgnoreCase)) return false;
        // Grades are letters: "A" is better than "B", so a better-or-equal grade compares lower-or-equal.
        if (MinGrade is { } g && string.CompareOrdinal(grade, g.ToUpperInvariant()) > 0) return false;
        if (MinEngagement is { } e && engagement < e) return false;
        return Cells.Count > 0 || MinGrade is not null || MinEngagement is not null;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Cells.Count > 0) parts.Add("cell " + string.Join("/", Cells));
        if (MinGrade is not null) parts.Add($"grade {MinGrade} or better");
        if (MinEngagement is not null) parts.Add($"engagement {MinEngagement} or more");
        return string.Join(" and ", parts);
    }
}
