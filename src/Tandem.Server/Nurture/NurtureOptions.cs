namespace Tandem.Server.Nurture;

internal sealed class NurtureOptions
{
    public const string Section = "Tandem:Nurture";

    /// <summary>Run the background scheduler in this server (tests turn it off and tick by hand).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often to look for enrollments whose step is due.</summary>
    public double TickSeconds { get; set; } = 5;

    /// <summary>How many due enrollments one claim takes.</summary>
    public int Batch { get; set; } = 200;

    /// <summary>How often active programs with an entry filter enroll the people who now match it.</summary>
    public double SweepSeconds { get; set; } = 900;

    /// <summary>How long a claim holds an enrollment before another server may take it (a server that died mid-step).</summary>
    public double LeaseSeconds { get; set; } = 120;
}
