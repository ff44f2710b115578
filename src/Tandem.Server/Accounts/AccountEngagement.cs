using Dapper;
using Tandem.Domain.Scoring;

namespace Tandem.Server.Accounts;

/// <summary>
/// What an account's engagement means: the sum of its people's current engagement (the stored score, which the
/// decay refresher carries forward, so it is already decayed), who counts as engaged, the account's band, and the
/// buying-group signal — several engaged people and nobody qualified yet — that shows interest before any one
/// person crosses the MQL line.
/// </summary>
internal sealed record AccountEngagement(IReadOnlyList<int> Bands)
{
    /// <summary>How many engaged people, with none qualified, make a buying group.</summary>
    public const int BuyingGroupSize = 2;

    /// <summary>The stages that count as qualified: MQL and every stage after it.</summary>
    public static readonly IReadOnlyList<string> QualifiedStages = ["MQL", "SAL", "SQL", "Opportunity", "Customer"];

    /// <summary>The stages awaiting sales' decision: an MQL to accept or reject, a SAL to qualify.</summary>
    public static readonly IReadOnlyList<string> HandoffStages = ["MQL", "SAL"];

    /// <summary>The bands of the model in force, or the default model's when nothing is published.</summary>
    public static AccountEngagement Of(ScoringModel? model) => new(model?.EngagementBands ?? new ScoringModel().EngagementBands);

    /// <summary>
    /// A person is engaged at or above the model's lowest band threshold: anything but the bottom band.
    /// </summary>
    public int EngagedAt => Bands.Count == 0 ? 1 : Bands[^1];

    /// <summary>The lowest band number (the least engaged), e.g. 4 with three thresholds.</summary>
    public int LowestBand => Bands.Count + 1;

    /// <summary>
    /// The model's engagement bands applied to the account's total, as SQL over <paramref name="total"/>: with
    /// bands [75, 50, 25], an account whose people add up to 80 is in band 1 even if no one of them is above 40.
    /// The thresholds are parameters (@band0, @band1…) added to <paramref name="args"/>.
    /// </summary>
    public string BandSql(string total, DynamicParameters args)
    {
        if (Bands.Count == 0) return "1";
        var cases = new List<string>();
        for (var b = 0; b < Bands.Count; b++)
        {
            args.Add($"band{b}", (long)Bands[b]);
            cases.Add($"WHEN {total} >= @band{b} THEN {b + 1}");
        }
        return $"CASE {string.Join(" ", cases)} ELSE {LowestBand} END";
    }

    /// <summary>How a band reads: "Band 1 (75+)", "Band 4 (under 25)".</summary>
    public string BandLabel(int band) =>
        band < 1 || band > LowestBand ? $"Band {band}"
        : band == LowestBand ? $"Band {band} (under {EngagedAt})"
        : band == 1 ? $"Band 1 ({Bands[0]}+)"
        : $"Band {band} ({Bands[band - 1]}–{Bands[band - 2] - 1})";

    /// <summary>The signal in words, or null when the account shows none: "buying group: 3 engaged people, none qualified".</summary>
    public static string? BuyingGroupText(long engagedPeople, long qualifiedPeople) =>
        engagedPeople >= BuyingGroupSize && qualifiedPeople == 0 ? $"buying group: {engagedPeople} engaged people, none qualified" : null;
}
