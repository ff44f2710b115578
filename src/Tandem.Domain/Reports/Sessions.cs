namespace Tandem.Domain.Reports;

/// <summary>
/// Visits from page views: one visitor's page views belong to one session until they pause for
/// <see cref="Timeout"/> (30 minutes, the common web-analytics rule); the session's channel is its first view's.
/// </summary>
public static class Sessions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <summary>One tracked page view: who (a person's id or an anonymous id), when (Unix ms) and from which channel.</summary>
    public sealed record PageView(string Visitor, bool Known, long At, string? Channel);

    /// <summary>One visit: its visitor, whether they were known, when it started and the channel that brought them.</summary>
    public sealed record Session(string Visitor, bool Known, long StartedAt, string Channel, int PageViews);

    /// <summary>Splits page views into sessions; the views may come in any order.</summary>
    public static IReadOnlyList<Session> Of(IEnumerable<PageView> views)
    {
        var sessions = new List<Session>();
        var gap = (long)Timeout.TotalMilliseconds;
        foreach (var visitor in views.GroupBy(v => v.Visitor))
        {
            PageView? first = null;
            long last = 0;
            var count = 0;
            foreach (var view in visitor.OrderBy(v => v.At))
            {
                if (first is not null && view.At - last > gap)
                {
                    sessions.Add(Close(first, count));
                    first = null;
                }
                if (first is null) { first = view; count = 0; }
                last = view.At;
                count++;
            }
            if (first is not null) sessions.Add(Close(first, count));
        }
        return sessions;
    }

    private static Session Close(PageView first, int count) =>
        new(first.Visitor, first.Known, first.At, string.IsNullOrWhiteSpace(first.Channel) ? "direct" : first.Channel, count);
}
