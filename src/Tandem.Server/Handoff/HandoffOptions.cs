using Tandem.Domain.Lifecycle;

namespace Tandem.Server.Handoff;

/// <summary>A reason sales may give for rejecting a lead, and where the rejected lead goes: back to nurture or out.</summary>
internal sealed record RejectReason(string Code, Stage Stage);

/// <summary>
/// Settings under "Tandem:Handoff". RejectReasons maps each code to Recycled or Disqualified
/// (e.g. Tandem__Handoff__RejectReasons__no-budget=Recycled); LostReasons lists why deals are lost.
/// </summary>
internal sealed class HandoffOptions
{
    public const string Section = "Tandem:Handoff";

    public Dictionary<string, string> RejectReasons { get; set; } = new();

    public List<string> LostReasons { get; set; } = [];

    /// <summary>The Recycled reason code a lost deal is recorded with in the stage history.</summary>
    public string LostStageReason { get; set; } = "lost-deal";

    public static readonly IReadOnlyList<RejectReason> DefaultRejectReasons =
    [
        new("bad-fit", Stage.Disqualified), new("no-budget", Stage.Recycled), new("wrong-contact", Stage.Disqualified),
        new("student", Stage.Disqualified), new("competitor", Stage.Disqualified), new("duplicate", Stage.Disqualified),
        new("no-response", Stage.Recycled),
    ];

    public static readonly IReadOnlyList<string> DefaultLostReasons = ["price", "competitor", "no-decision", "timing", "missing-features", "other"];

    public IReadOnlyList<RejectReason> Rejects() =>
        RejectReasons.Count == 0
            ? DefaultRejectReasons
            : RejectReasons.Select(r => new RejectReason(r.Key.Trim().ToLowerInvariant(),
                Stages.TryParse(r.Value, out var s) && s.NeedsReason()
                    ? s
                    : throw new InvalidOperationException($"Tandem:Handoff:RejectReasons:{r.Key} must be Recycled or Disqualified, not '{r.Value}'.")))
                .ToList();

    public IReadOnlyList<string> Losts() => LostReasons.Count == 0 ? DefaultLostReasons : LostReasons.Select(l => l.Trim().ToLowerInvariant()).ToList();
}
