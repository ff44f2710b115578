using System.Collections.Concurrent;

namespace Tandem.Server.Security;

/// <summary>
/// Verified keys, remembered briefly so hot ingestion paths do not hit the database per request; a revoked key
/// therefore stops working within <see cref="Window"/>. One per server (a singleton), timed by the injected clock.
/// </summary>
internal sealed class ApiKeyCache(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKeyInfo? Info, DateTimeOffset Until)> entries = new();

    /// <summary>The remembered verdict for a key (null info: not valid), unless it was never seen or its window has passed.</summary>
    public bool TryGet(string key, out ApiKeyInfo? info)
    {
        if (entries.TryGetValue(key, out var entry) && entry.Until >= clock.GetUtcNow())
        {
            info = entry.Info;
            return true;
        }
        info = null;
        return false;
    }

    /// <summary>Remembers a fresh verdict for the next <see cref="Window"/>.</summary>
    public void Remember(string key, ApiKeyInfo? info)
    {
        if (entries.Count >= MaxEntries) entries.Clear();
        entries[key] = (info, clock.GetUtcNow() + Window);
    }
}
