namespace Tandem.Domain.Capture;

/// <summary>When a tracked event really happened, correcting the sending device's clock.</summary>
public static class EventTime
{
    /// <summary>
    /// Devices' clocks drift, so a timestamp is only trusted relative to the sentAt stamped by the
    /// same clock: the event happened (sentAt − timestamp) before the server received it.
    /// Timestamps in the future are clamped to the receipt time.
    /// </summary>
    public static DateTimeOffset Resolve(DateTimeOffset? timestamp, DateTimeOffset? sentAt, DateTimeOffset receivedAt)
    {
        if (timestamp is null) return receivedAt;
        var happened = sentAt is { } sent ? receivedAt - (sent - timestamp.Value) : timestamp.Value;
        return happened > receivedAt ? receivedAt : happened;
    }
}
