namespace Tandem.Server.Sla;

internal sealed class SlaOptions
{
    public const string Section = "Tandem:Sla";

    /// <summary>Run the background scheduler in this server (tests turn it off and tick by hand).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often to look for due reminders and breaches.</summary>
    public double TickSeconds { get; set; } = 10;
}
