namespace Tandem.Server.Stall;

internal sealed class StallOptions
{
    public const string Section = "Tandem:Stall";

    /// <summary>Run the background sweep in this server (tests turn it off and sweep by hand).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often to sweep for stalled leads and act on new stalls.</summary>
    public double SweepSeconds { get; set; } = 60;

    /// <summary>How many new stall records one transaction acts on.</summary>
    public int Batch { get; set; } = 100;

    /// <summary>
    /// How far back a sweep looks again at people updated before the previous sweep began: a write that committed just
    /// after that sweep read (with an earlier clock) is still seen.
    /// </summary>
    public double OverlapSeconds { get; set; } = 60;
}
