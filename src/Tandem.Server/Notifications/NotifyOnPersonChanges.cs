using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>
/// Webhook events about people — created, updated, merged, stage changed, became MQL, score changed — written to the
/// outbox in the transaction of the change. Only when some subscription asks for the event: these happen on nearly every
/// write, and nobody needs a notification row that no receiver wants.
/// </summary>
internal sealed class NotifyOnPersonChanges(TimeProvider clock) : IPersonEventHandler
{
    public async Task OnProfileChangedAsync(DbConnection c, DbTransaction tx, ProfileChanged e)
    {
        var @event = e.Changed.Contains("created") ? PersonWebhooks.Created : e.Changed.Contains("merged") ? PersonWebhooks.Merged : PersonWebhooks.Updated;
        var changed = e.Changed.Where(f => f is not ("created" or "merged")).ToList();
        await PersonWebhooks.AddIfSubscribedAsync(c, tx, @event, e.PersonId, p => new
        {
            person = LeadPayload.Person(p), changed, by = By(e.Actor), at = Now(),
        }, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public async Task OnStageChangedAsync(DbConnection c, DbTransaction tx, StageChanged e)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        object Payload(PersonRow p) => new
        {
            person = LeadPayload.Person(p), from = e.From?.ToString(), to = e.To.ToString(), reasonCode = e.ReasonCode, by = By(e.Actor), at = Now(),
        };
        await PersonWebhooks.AddIfSubscribedAsync(c, tx, PersonWebhooks.StageChanged, e.PersonId, Payload, now);
        if (e.To == Stage.MQL) await PersonWebhooks.AddIfSubscribedAsync(c, tx, PersonWebhooks.BecameMql, e.PersonId, Payload, now);
    }

    private DateTimeOffset Now() => clock.GetUtcNow();

    private static object By(Actor actor) => new { type = actor.Type.ToString(), id = actor.Id, name = actor.Name };
}

/// <summary>The names of the people events, and the one way they are written.</summary>
internal static class PersonWebhooks
{
    public const string Created = "person.created";
    public const string Updated = "person.updated";
    public const string Merged = "person.merged";
    public const string StageChanged = "person.stage_changed";
    public const string BecameMql = "person.became_mql";
    public const string ScoreChanged = "person.score_changed";

    public static readonly IReadOnlyList<string> All = [Created, Updated, Merged, StageChanged, BecameMql, ScoreChanged];

    /// <summary>Writes the notification when an active subscription's filters match the event; the payload is made only then.</summary>
    public static async Task AddIfSubscribedAsync(DbConnection c, DbTransaction tx, string @event, long personId, Func<PersonRow, object> payload, long now)
    {
        var filters = await TransactionMemo.GetAsync(tx, "webhooks.event_filters", () =>
            c.QueryAsync<string>("SELECT events FROM webhook_subscriptions WHERE deleted_at IS NULL", transaction: tx));
        if (!filters.Any(f => EventFilter.Matches(Json.Read(f, new List<string>()), @event))) return;
        if (await PersonStore.FindAsync(c, tx, personId) is not { } person) return;
        await Outbox.AddAsync(c, tx, @event, personId, null, payload(person), now);
    }
}
