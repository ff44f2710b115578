using Tandem.Server.Sla;

namespace Tandem.Server.Web.Settings;

/// <summary>Marketing's commitment as typed, turned into the API's request (numbers that are not numbers are refused there).</summary>
internal sealed class SlaCommitmentForm
{
    public string? Name { get; set; }
    public string? MinimumMqlsPerMonth { get; set; }
    public string? MinimumAcceptancePercent { get; set; }
    /// <summary>First-touch channels, comma-separated; blank counts every MQL.</summary>
    public string? Sources { get; set; }
    public bool Active { get; set; } = true;

    public ManageCommitments.Request ToRequest() => new(Name, SlaPolicyForm.Number(MinimumMqlsPerMonth),
        SlaPolicyForm.Number(MinimumAcceptancePercent?.Trim().TrimEnd('%')), SlaPolicyForm.List(Sources), Active);

    public static SlaCommitmentForm From(CommitmentDto c) => new()
    {
        Name = c.Name,
        MinimumMqlsPerMonth = c.MinimumMqlsPerMonth.ToString(System.Globalization.CultureInfo.InvariantCulture),
        MinimumAcceptancePercent = c.MinimumAcceptancePercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Sources = string.Join(", ", c.Sources),
        Active = c.Active,
    };
}
