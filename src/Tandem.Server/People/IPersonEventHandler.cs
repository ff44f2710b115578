using System.Data.Common;

namespace Tandem.Server.People;

/// <summary>
/// A consequence of what happens to people, run inside the transaction that made it happen, so it commits or fails
/// with its cause. Handlers run in the order <see cref="Consequences"/> declares; implement only the methods you need.
/// A handler may raise further events; they are dispatched after the current one has reached every handler.
/// </summary>
internal interface IPersonEventHandler
{
    Task OnActivitiesAppendedAsync(DbConnection c, DbTransaction tx, ActivitiesAppended e) => Task.CompletedTask;

    Task OnProfileChangedAsync(DbConnection c, DbTransaction tx, ProfileChanged e) => Task.CompletedTask;

    Task OnStageChangedAsync(DbConnection c, DbTransaction tx, StageChanged e) => Task.CompletedTask;

    Task OnOwnerAssignedAsync(DbConnection c, DbTransaction tx, OwnerAssigned e) => Task.CompletedTask;

    Task OnEmailEventRecordedAsync(DbConnection c, DbTransaction tx, EmailEventRecorded e) => Task.CompletedTask;
}
