namespace Tandem.Server.Email.Tracking;

/// <summary>Settings under "Tandem:Email:Tracking".</summary>
internal sealed class EmailTrackingOptions
{
    public const string Section = "Tandem:Email:Tracking";

    /// <summary>An open-pixel fetch this many seconds or less after the email was sent is a mail-privacy proxy's prefetch, not a reader.</summary>
    public double PrefetchSeconds { get; set; } = 10;
}
