namespace Tandem.Server.Planning;

internal sealed class PlanningOptions
{
    public const string Section = "Tandem:Planning";

    /// <summary>A pacing row this far behind its pro-rata plan (0.1 = 10 %) notifies both teams, once a row a day.</summary>
    public double BehindPaceThreshold { get; set; } = 0.10;

    /// <summary>Run the pacing check in this server (tests turn it off and check by hand).</summary>
    public bool PacingCheckEnabled { get; set; } = true;

    /// <summary>How often the pacing check runs; it tells each row at most once a UTC day however often it runs.</summary>
    public double PacingCheckMinutes { get; set; } = 60;
}
