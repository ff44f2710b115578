using System.Data.Common;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>
/// Runs the consequences of what happens to people, in one declared order, inside the transaction of their cause.
/// Use cases that change people write through <see cref="WriteAsync{T}"/>: their work runs first, then every event
/// it raised is handed to each handler in turn, then whatever those handlers raised, until nothing is left; only
/// then does the transaction commit. So a handler always sees its cause written — the stage on the row, the owner
/// assigned — and a failure anywhere rolls the whole chain back.
/// The handlers and their order are declared in one list: <see cref="PeopleModule.AddPeople"/>.
/// </summary>
internal sealed class Consequences(Database db, PersonEvents events, IEnumerable<IPersonEventHandler> handlers)
{
    private readonly IPersonEventHandler[] handlers = handlers.ToArray();

    /// <summary>Runs <paramref name="work"/> and its consequences in one transaction.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            events.Open(tx);
            try
            {
                var result = await work(c, tx);
                await DispatchAsync(c, tx);
                return result;
            }
            finally
            {
                events.Close(tx);
            }
        }, ct);

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async (c, tx) => { await work(c, tx); return true; }, ct);

    /// <summary>
    /// Dispatches what has been raised so far. <see cref="WriteAsync{T}"/> does this before committing; call it
    /// earlier only when the work must read a consequence (the owner routing chose) before it returns.
    /// </summary>
    public async Task DispatchAsync(DbConnection c, DbTransaction tx)
    {
        TransactionMemo.Begin(tx);
        try
        {
            while (events.TryNext(tx, out var next))
                foreach (var handler in handlers)
                    await (next switch
                    {
                        ActivitiesAppended e => handler.OnActivitiesAppendedAsync(c, tx, e),
                        ProfileChanged e => handler.OnProfileChangedAsync(c, tx, e),
                        StageChanged e => handler.OnStageChangedAsync(c, tx, e),
                        OwnerAssigned e => handler.OnOwnerAssignedAsync(c, tx, e),
                        EmailEventRecorded e => handler.OnEmailEventRecordedAsync(c, tx, e),
                        _ => throw new InvalidOperationException($"No dispatch for {next.GetType().Name}."),
                    });
        }
        finally
        {
            TransactionMemo.End(tx);
        }
    }

    /// <summary>The same transactions with no consequences at all: the demo seeds history that already happened.</summary>
    public Consequences WithoutHandlers() => new(db, events, []);
}
