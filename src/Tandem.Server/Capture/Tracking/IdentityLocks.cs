using System.Data.Common;
using System.Text;
using Dapper;
using Tandem.Domain.Identity;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// PostgreSQL lets batches ingest side by side, but two batches that create or link the same people
/// (the same userId, visitor or email) would take their locks in message order and
/// could deadlock — each waiting a full second for PostgreSQL to abort one of them, then starting over.
/// Before touching anything, a batch takes one transaction-scoped advisory lock per identity it names,
/// in one global order, so overlapping batches queue briefly and disjoint ones never wait. Accounts and
/// campaigns are left out on purpose: they are shared by many people and only ever inserted once, so
/// locking them would queue every batch behind every other; the rare race to create one is retried.
/// SQLite needs none of this: its single writer already runs one batch at a time.
/// </summary>
internal static class IdentityLocks
{
    public static async Task AcquireAsync(DbConnection c, DbTransaction tx, IReadOnlyList<TrackedMessage> messages)
    {
        var keys = new SortedSet<long>();
        void Add(string kind, string? value) { if (!string.IsNullOrEmpty(value)) keys.Add(Hash(kind, value)); }
        foreach (var m in messages)
        {
            Add("user", m.UserId);
            Add("visitor", m.AnonymousId);
            Add("message", m.MessageId); // two deliveries of one message: the second waits, then sees it stored
            if (m.Type == "alias") { Add("user", m.Message.PreviousIdText); Add("visitor", m.Message.PreviousIdText); }
            if (SegmentTraits.UserIdEmail(m.UserId) is { } userIdEmail) Add("email", userIdEmail.Value); // joins that email's person
            if (m.Type != "identify") continue;
            if (EmailAddress.TryParse(SegmentTraits.Email(m.Message.Traits), out var email)) Add("email", email.Value);
        }
        if (keys.Count == 0) return;
        // unnest yields the already sorted keys in order, so every batch locks in the same order.
        await c.ExecuteAsync("SELECT pg_advisory_xact_lock(k) FROM unnest(@keys) AS k", new { keys = keys.ToArray() }, tx);
    }

    /// <summary>FNV-1a, 64 bits: stable across processes and servers, unlike string.GetHashCode.</summary>
    private static long Hash(string kind, string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"tandem:{kind}:{value}"))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return unchecked((long)hash);
    }
}
