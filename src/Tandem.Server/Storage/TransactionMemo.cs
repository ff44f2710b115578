using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Tandem.Server.Storage;

/// <summary>
/// Workspace configuration read once per dispatch of consequences instead of once per person: the active scoring and
/// prediction models, the programs that enroll on events or filters, the webhook subscriptions. An import batch of a
/// thousand people asks each handler for these a thousand times, and none of them can change while the handlers run
/// (no handler writes configuration), so <see cref="People.Consequences"/> opens a memo for the transaction while it
/// dispatches and drops it after. Outside a dispatch every read goes to the database, as before.
/// </summary>
internal static class TransactionMemo
{
    private static readonly ConditionalWeakTable<DbTransaction, Dictionary<string, object?>> Open = new();

    public static void Begin(DbTransaction tx) => Open.AddOrUpdate(tx, new Dictionary<string, object?>());

    public static void End(DbTransaction tx) => Open.Remove(tx);

    /// <summary>The value read earlier in this dispatch under <paramref name="key"/>, else <paramref name="load"/>'s.</summary>
    public static async Task<T> GetAsync<T>(DbTransaction? tx, string key, Func<Task<T>> load)
    {
        if (tx is null || !Open.TryGetValue(tx, out var memo)) return await load();
        // One transaction is used by one flow at a time, so the dictionary needs no lock.
        if (memo.TryGetValue(key, out var known)) return (T)known!;
        var value = await load();
        memo[key] = value;
        return value;
    }
}
