using System.Data.Common;
using System.Runtime.CompilerServices;
using Tandem.Domain.Lifecycle;

namespace Tandem.Server.People;

/// <summary>Something that happened to people, raised by the use case that wrote it.</summary>
internal abstract record PersonEvent(Actor Actor);

/// <summary>Activities were appended for these people (from any source).</summary>
internal sealed record ActivitiesAppended(IReadOnlyCollection<long> PersonIds, Actor Actor) : PersonEvent(Actor);

/// <summary>A person was created, or fields of theirs changed (names as in PersonFields, plus email, consent, account, "created", "merged"…).</summary>
internal sealed record ProfileChanged(long PersonId, IReadOnlyList<string> Changed, Actor Actor) : PersonEvent(Actor);

/// <summary>A person moved stage; the person row and the stage history already carry the move (and its reason code, if any).</summary>
internal sealed record StageChanged(long PersonId, Stage? From, Stage To, Actor Actor, string? ReasonCode = null) : PersonEvent(Actor);

/// <summary>A person got a new owner; people.owner_id, the routing decision and the timeline already carry it.</summary>
internal sealed record OwnerAssigned(long PersonId, long? FromUserId, long ToUserId, long? TeamId, long DecisionId, string Explanation, Actor Actor)
    : PersonEvent(Actor);

/// <summary>What a person did with, or what became of, an email Tandem sent them.</summary>
internal enum EmailEventKind { Opened, Clicked, Replied, AutoReplied, Bounced, SoftBounced, Complained, Unsubscribed }

/// <summary>
/// An email event was recorded: the activity (<c>email_opened</c>, <c>email_replied</c>…) and the send's counters are
/// already written. Programs exit or branch on it; the owner hears of a reply. <paramref name="SendId"/> is null when
/// the event could not be tied to one send (an unsubscribe from the preference page, say).
/// </summary>
internal sealed record EmailEventRecorded(long PersonId, EmailEventKind Kind, long? SendId, long? ProgramId, long? EnrollmentId, string? StepKey,
    Actor Actor) : PersonEvent(Actor);

/// <summary>
/// Where use cases raise what they did. An event waits here, in its transaction's queue, until
/// <see cref="Consequences"/> dispatches it — after its cause is written and before the transaction commits.
/// Raising outside a transaction opened by <see cref="Consequences.WriteAsync{T}"/> is a bug (the consequences
/// would be lost), so it throws.
/// </summary>
internal sealed class PersonEvents
{
    private readonly ConditionalWeakTable<DbTransaction, Queue<PersonEvent>> queues = new();

    public void Raise(DbTransaction tx, PersonEvent e)
    {
        if (!queues.TryGetValue(tx, out var queue))
            throw new InvalidOperationException(
                $"{e.GetType().Name} was raised in a transaction that will not dispatch it; write through Consequences.WriteAsync.");
        if (e is ActivitiesAppended { PersonIds.Count: 0 } or ProfileChanged { Changed.Count: 0 }) return;
        queue.Enqueue(e);
    }

    internal void Open(DbTransaction tx) => queues.AddOrUpdate(tx, new Queue<PersonEvent>());

    internal void Close(DbTransaction tx) => queues.Remove(tx);

    internal bool TryNext(DbTransaction tx, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PersonEvent? next)
    {
        next = null;
        return queues.TryGetValue(tx, out var queue) && queue.TryDequeue(out next);
    }
}
