using System.Data.Common;
using Tandem.Domain.Lifecycle;

namespace Tandem.Server.People;

/// <summary>
/// Reacts to what happens to people inside the transaction that made it happen, so that a
/// consequence (a new score, a move to MQL, an assignment) commits or fails with its cause.
/// Implement only the methods you need.
/// </summary>
public interface IPersonEventHandler
{
    /// <summary>Activities were appended for these people (from any source) in this transaction.</summary>
    Task ActivitiesAppendedAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> personIds, Actor actor) => Task.CompletedTask;

    /// <summary>A person was created, or fields of theirs changed (names as in PersonFields, plus email, consent, account…).</summary>
    Task ProfileChangedAsync(DbConnection c, DbTransaction tx, long personId, IReadOnlyList<string> changed, Actor actor) => Task.CompletedTask;

    /// <summary>A person moved stage; the person row already carries the new stage.</summary>
    Task StageChangedAsync(DbConnection c, DbTransaction tx, long personId, Stage? from, Stage to, Actor actor) => Task.CompletedTask;

    /// <summary>A person got a new owner (routing, reassignment or by hand); people.owner_id already holds it.</summary>
    Task OwnerAssignedAsync(DbConnection c, DbTransaction tx, long personId, long? fromUserId, long toUserId, long? teamId, Actor actor) => Task.CompletedTask;
}

/// <summary>Fans each event out to every registered handler, in registration order.</summary>
public sealed class PersonEvents(IEnumerable<IPersonEventHandler> handlers)
{
    private readonly IPersonEventHandler[] handlers = handlers.ToArray();

    public static readonly PersonEvents None = new([]);

    public async Task ActivitiesAppendedAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> personIds, Actor actor)
    {
        if (personIds.Count == 0) return;
        foreach (var h in handlers) await h.ActivitiesAppendedAsync(c, tx, personIds, actor);
    }

    public async Task ProfileChangedAsync(DbConnection c, DbTransaction tx, long personId, IReadOnlyList<string> changed, Actor actor)
    {
        if (changed.Count == 0) return;
        foreach (var h in handlers) await h.ProfileChangedAsync(c, tx, personId, changed, actor);
    }

    public async Task StageChangedAsync(DbConnection c, DbTransaction tx, long personId, Stage? from, Stage to, Actor actor)
    {
        foreach (var h in handlers) await h.StageChangedAsync(c, tx, personId, from, to, actor);
    }

    public async Task OwnerAssignedAsync(DbConnection c, DbTransaction tx, long personId, long? fromUserId, long toUserId, long? teamId, Actor actor)
    {
        foreach (var h in handlers) await h.OwnerAssignedAsync(c, tx, personId, fromUserId, toUserId, teamId, actor);
    }
}
