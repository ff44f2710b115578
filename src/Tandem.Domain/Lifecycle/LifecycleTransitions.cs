namespace Tandem.Domain.Lifecycle;

/// <summary>
/// The one place that says which stage moves are allowed:
/// forward along the main stages (skipping is fine); backward only by way of Recycled;
/// Recycled and Disqualified need a reason code from the configured list.
/// </summary>
public static class LifecycleTransitions
{
    public static TransitionDecision Decide(Stage? from, Stage to, string? reasonCode, ReasonCodes reasons)
    {
        if (from == to)
            return TransitionDecision.Refused(from, to, $"The person is already in stage {to}.");

        var allowed = from switch
        {
            null => true, // a new person enters at any stage
            Stage.Recycled => to != Stage.Recycled,
            Stage.Disqualified => to == Stage.Recycled, // revive only through nurture, never straight back to sales
            var f when f.Value.IsMain() => to.IsMain() ? to > f.Value : true,
            _ => false,
        };
        if (!allowed)
        {
            var why = from is Stage.Disqualified
                ? "A disqualified person can only move to Recycled."
                : $"Moving back from {from} to {to} is not allowed; recycle the person first.";
            return TransitionDecision.Refused(from, to, why);
        }

        if (to.NeedsReason())
        {
            if (string.IsNullOrWhiteSpace(reasonCode))
                return TransitionDecision.Invalid("reasonCode", $"Moving to {to} needs a reason code.");
            if (!reasons.IsAllowed(to, reasonCode))
                return TransitionDecision.Invalid("reasonCode",
                    $"'{reasonCode}' is not a reason code for {to}; use one of: {string.Join(", ", reasons.For(to))}.");
        }
        return TransitionDecision.Allowed(from, to);
    }

    /// <summary>
    /// The stages a person in <paramref name="from"/> may be moved to, in lifecycle order: what a stage picker offers.
    /// Asked of <see cref="Decide"/> itself (a side stage's reason aside), so the picker and the rule cannot disagree.
    /// </summary>
    public static IReadOnlyList<Stage> AllowedTargets(Stage? from) =>
        Enum.GetValues<Stage>().Where(to => Decide(from, to, AnyReason, AnyReasonCodes).IsAllowed).ToList();

    private const string AnyReason = "any";
    private static readonly ReasonCodes AnyReasonCodes = new(new Dictionary<Stage, IReadOnlyList<string>>
    {
        [Stage.Recycled] = [AnyReason], [Stage.Disqualified] = [AnyReason],
    });
}

/// <summary>The outcome of asking whether a stage move is allowed.</summary>
public sealed record TransitionDecision(bool IsAllowed, Stage? From, Stage To, string? Field, string? Reason)
{
    /// <summary>True when the request itself is malformed (a missing or unknown reason), not a refused move.</summary>
    public bool IsInvalidInput => Field is not null;

    public static TransitionDecision Allowed(Stage? from, Stage to) => new(true, from, to, null, null);
    public static TransitionDecision Refused(Stage? from, Stage to, string reason) => new(false, from, to, null, reason);
    public static TransitionDecision Invalid(string field, string reason) => new(false, null, default, field, reason);
}

/// <summary>The configurable reason codes for the side stages.</summary>
public sealed class ReasonCodes(IReadOnlyDictionary<Stage, IReadOnlyList<string>> codes)
{
    public static readonly ReasonCodes Default = new(new Dictionary<Stage, IReadOnlyList<string>>
    {
        [Stage.Recycled] = ["no-response", "not-ready", "bad-timing", "no-budget", "lost-deal", "nurture"],
        [Stage.Disqualified] = ["bad-fit", "wrong-contact", "student", "competitor", "duplicate", "spam", "no-budget"],
    });

    public IReadOnlyList<string> For(Stage stage) => codes.TryGetValue(stage, out var list) ? list : [];

    public bool IsAllowed(Stage stage, string code) =>
        For(stage).Contains(code.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>How a reason code reads to a person: "no-budget" is "No budget".</summary>
    public static string Label(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return "";
        var words = code.Trim().Replace('-', ' ').Replace('_', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
