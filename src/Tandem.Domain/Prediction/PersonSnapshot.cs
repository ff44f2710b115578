namespace Tandem.Domain.Prediction;

/// <summary>One activity as a feature sees it: its type, when it happened, and how much it stands for (an imported
/// "12 website visits" is one activity worth 12; a tracked page view is worth 1).</summary>
public readonly record struct ActivityFact(string Type, long OccurredAt, double Amount);

/// <summary>Everything the features of one person are built from: profile, custom and account fields by name, and activities.</summary>
public sealed record PersonSnapshot(long PersonId, long CreatedAt, IReadOnlyDictionary<string, string?> Fields, IReadOnlyList<ActivityFact> Activities);
