using Tandem.Domain.Lifecycle;

namespace Tandem.Server.Prediction;

/// <summary>Settings under "Tandem:Prediction" (Tandem__Prediction__MaturationDays=90, Tandem__Prediction__Exclude__0=custom.tags…).</summary>
internal sealed class PredictionOptions
{
    public const string Section = "Tandem:Prediction";

    /// <summary>
    /// The fields a model never reads. Identifiers say nothing about a lead, and fields sales fills in after contact leak
    /// the outcome; the shipped list names the X Education export's (Tags, Lead Quality, Lead Profile, the Asymmetrique
    /// indexes and scores, Last Notable Activity) and its record number. Setting Exclude replaces this list.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExclude =
    [
        "email", "firstName", "lastName", "phone", "website",
        "custom.tags", "custom.lead_quality", "custom.lead_profile", "custom.asymmetrique_*", "custom.last_notable_activity",
        "custom.lead_number",
    ];

    /// <summary>The stage that counts as converting: Customer, or SQL.</summary>
    public string TargetStage { get; set; } = nameof(Stage.Customer);

    /// <summary>A lead older than this without reaching the target stage is a negative; a younger one is still open.</summary>
    public int MaturationDays { get; set; } = 60;

    /// <summary>Training is refused with fewer outcomes than this of either kind.</summary>
    public int MinOutcomes { get; set; } = 200;

    public string[]? Exclude { get; set; }

    /// <summary>Retrain on this schedule (days; 0 turns it off).</summary>
    public int RetrainDays { get; set; } = 7;

    /// <summary>The Recycled reason code that means a deal was lost (a negative outcome).</summary>
    public string LostReason { get; set; } = "lost-deal";

    /// <summary>The boosted trees: how many, how many leaves each, the learning rate, the fewest people a leaf may hold.</summary>
    public int Trees { get; set; } = 200;
    public int Leaves { get; set; } = 16;
    public double LearningRate { get; set; } = 0.05;
    public int MinLeafPeople { get; set; } = 20;

    public IReadOnlyList<string> Exclusions => Exclude ?? (IReadOnlyList<string>)DefaultExclude;

    public Stage ParsedTarget => Stages.TryParse(TargetStage, out var s) && s is Stage.Customer or Stage.SQL
        ? s
        : throw new InvalidOperationException($"Tandem:Prediction:TargetStage must be Customer or SQL, not '{TargetStage}'.");
}
