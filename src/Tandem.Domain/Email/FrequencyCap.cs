using System.Globalization;

namespace Tandem.Domain.Email;

/// <summary>
/// At most <see cref="Max"/> marketing emails to one person in any <see cref="Days"/>-day window, across all programs,
/// so nobody is written to too often. Written "3/7" in the workspace settings.
/// </summary>
public sealed record FrequencyCap(int Max, int Days)
{
    public long WindowMs => Days * 86_400_000L;

    public override string ToString() => $"{Max}/{Days}";

    /// <summary>Reads "MAX/DAYS" (both whole numbers, at least 1); null for anything else.</summary>
    public static FrequencyCap? Parse(string? text)
    {
        var parts = text?.Split('/', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 }) return null;
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1 &&
               int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 365
            ? new FrequencyCap(max, days)
            : null;
    }

    /// <summary>
    /// Whether one more email may go at <paramref name="now"/>, given when the person's earlier marketing emails were
    /// queued; when not, the instant the oldest of those in the window leaves it, which is when one more may go.
    /// </summary>
    public (bool Allowed, long? RetryAt) Decide(IEnumerable<long> sentAt, long now)
    {
        var inWindow = sentAt.Where(t => t > now - WindowMs).Order().ToList();
        if (inWindow.Count < Max) return (true, null);
        // The (count - max + 1)th oldest must leave before the count drops below the cap.
        return (false, inWindow[inWindow.Count - Max] + WindowMs);
    }
}
