namespace Tandem.Domain.Prediction;

/// <summary>What is known about a person's outcome: the instants (Unix ms) that decide whether they are a positive, a negative or still open.</summary>
/// <param name="CreatedAt">When the person entered the workspace (an import's created date when it had one).</param>
/// <param name="TargetReachedAt">When they first reached the target stage (Customer, or SQL), if they did.</param>
/// <param name="LostAt">When they were first disqualified or lost (a deal lost sends them to Recycled as lost-deal), if they were.</param>
public sealed record OutcomeFacts(long CreatedAt, long? TargetReachedAt, long? LostAt);

public enum OutcomeLabel { Open, Positive, Negative }

/// <summary>A person's label and the instant their features are read as of: nothing that happened after it counts.</summary>
public readonly record struct Outcome(OutcomeLabel Label, long AsOf);

/// <summary>
/// The labelling rules: positive when the person reached the target stage; negative when they were disqualified or lost,
/// or have been in the workspace longer than the maturation window without reaching it. Anyone younger than the window
/// without an outcome is open — one of the people to predict, never a negative.
/// </summary>
public static class OutcomeRules
{
    public static Outcome Decide(OutcomeFacts facts, long now, long maturationMs)
    {
        if (facts.TargetReachedAt is { } won && won <= now) return new Outcome(OutcomeLabel.Positive, won);
        if (facts.LostAt is { } lost && lost <= now) return new Outcome(OutcomeLabel.Negative, lost);
        // A lead the window has not yet run out on may still convert: calling it a negative would teach the model that
        // every young lead fails. A matured one never converted up to now: it is read as of now, like the open leads the
        // model will score. (Cutting it at the end of the window instead would hide engagement an import stamped later,
        // while a converted lead imported at the same instant keeps it: a difference made by the import, not the lead.)
        return facts.CreatedAt + maturationMs <= now ? new Outcome(OutcomeLabel.Negative, now) : new Outcome(OutcomeLabel.Open, now);
    }
}
