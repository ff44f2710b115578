using System.Collections.Concurrent;

namespace Tandem.Server.Security;

/// <summary>
/// Verified keys, remembered briefly so hot ingestion paths do not hit the database per request; a revoked key
/// therefore stops working within <see cref="Window"/>. One per server (a singleton), timed by the injected clock.
/// </summary>
/// <remarks>
/// Valid and invalid verdicts are kept apart. Anyone can send made-up keys, so the invalid side is bounded and, when
/// full, forgets only invalid keys: a flood of wrong keys never evicts the real ones, which would send every genuine
/// request back to the database. The valid side holds at most the workspace's real keys.
/// </remarks>
internal sealed class ApiKeyCache(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>How many invalid keys are remembered at once.</summary>
    public const int MaxInvalidEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKeyInfo Info, DateTimeOffset Until)> valid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> invalid = new(StringComparer.Ordinal);

    /// <summary>The remembered verdict for a key (null info: not valid), unless it was never seen or its window has passed.</summary>
    public bool TryGet(string key, out ApiKeyInfo? info)
    {
        var now = clock.GetUtcNow();
        if (valid.TryGetValue(key, out var entry) && entry.Until >= now)
        {
            info = entry.Info;
            return true;
        }
        info = null;
        return invalid.TryGetValue(key, out var until) && until >= now;
    }

    /// <summary>Remembers a fresh verdict for the next <see cref="Window"/>.</summary>
    public void Remember(string key, ApiKeyInfo? info)
    {
        var until = clock.GetUtcNow() + Window;
        if (info is { } known)
        {
            invalid.TryRemove(key, out _);
            valid[key] = (known, until);
            return;
        }
        valid.TryRemove(key, out _);
        if (invalid.Count >= MaxInvalidEntries) invalid.Clear();
        invalid[key] = until;
    }
}
