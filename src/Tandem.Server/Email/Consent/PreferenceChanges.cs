using System.Data.Common;
using Dapper;
using Tandem.Server.People;

namespace Tandem.Server.Email.Consent;

/// <summary>A topic marketing email is sent under, and whether this person left it.</summary>
internal sealed record TopicChoice(string Key, string Name, string? Description, bool OptedOut);

/// <summary>What the preference page shows of a person.</summary>
internal sealed record PreferenceState(long PersonId, string Address, IReadOnlyList<TopicChoice> Topics, IReadOnlyList<string> Suppressions,
    bool MarkedUnsubscribed)
{
    /// <summary>Suppressed as unsubscribed, or marked so on the person (an import, another system).</summary>
    public bool Unsubscribed => MarkedUnsubscribed || Suppressions.Contains(SuppressionReasons.Unsubscribed);

    /// <summary>A hard bounce or a complaint: not something the preference page can undo.</summary>
    public bool Undeliverable => Suppressions.Any(r => r != SuppressionReasons.Unsubscribed);
}

/// <summary>
/// The preference page's changes: topics left and rejoined one by one, and the person's own, audited re-subscribe,
/// which lifts only an unsubscribe — a hard bounce or a complaint stays suppressed whatever the page is asked.
/// </summary>
internal sealed class PreferenceChanges(PersonEvents events)
{
    public static async Task<PreferenceState?> ReadAsync(DbConnection c, DbTransaction? tx, long personId)
    {
        var person = await PersonStore.FindLiveAsync(c, tx, personId);
        if (person?.Email is not { } address) return null;
        var optedOut = (await c.QueryAsync<string>("SELECT topic FROM email_topic_optouts WHERE person_id = @Id", new { person.Id }, tx)).ToHashSet();
        var topics = (await c.QueryAsync<(string Key, string Name, string? Description)>(
                "SELECT key, name, description FROM email_topics ORDER BY position, key", transaction: tx))
            .Select(t => new TopicChoice(t.Key, t.Name, t.Description, optedOut.Contains(t.Key))).ToList();
        return new PreferenceState(person.Id, address, topics, await EmailSuppressions.ReasonsAsync(c, tx, address),
            person.Unsubscribed != 0);
    }

    /// <summary>Leaves the topics not in <paramref name="wanted"/> and rejoins those in it; returns how many changed.</summary>
    public static async Task<int> SetTopicsAsync(DbConnection c, DbTransaction tx, PreferenceState state, IReadOnlySet<string> wanted,
        ConsentProof proof, long now)
    {
        var changed = 0;
        foreach (var topic in state.Topics)
        {
            var want = wanted.Contains(topic.Key);
            if (want && topic.OptedOut)
            {
                await c.ExecuteAsync("DELETE FROM email_topic_optouts WHERE person_id = @PersonId AND topic = @Key", new { state.PersonId, topic.Key }, tx);
                await ConsentStore.LogAsync(c, tx, state.PersonId, "topic_opted_in", proof, now, topic: topic.Key);
                changed++;
            }
            else if (!want && !topic.OptedOut)
            {
                await c.ExecuteAsync("INSERT INTO email_topic_optouts (person_id, topic, at) VALUES (@PersonId, @Key, @now) ON CONFLICT DO NOTHING",
                    new { state.PersonId, topic.Key, now }, tx);
                await ConsentStore.LogAsync(c, tx, state.PersonId, "topic_opted_out", proof, now, topic: topic.Key);
                changed++;
            }
        }
        return changed;
    }

    /// <summary>
    /// The person's explicit "subscribe me again": lifts their unsubscribe suppressions (saying where and from which
    /// address), makes consent opted_in with this request as its proof, logs <c>resubscribed</c> and clears
    /// <c>people.unsubscribed</c>. Hard bounces and complaints are left as they are.
    /// </summary>
    /// <returns>False when there was no unsubscribe to lift.</returns>
    public async Task<bool> ResubscribeAsync(DbConnection c, DbTransaction tx, long personId, ConsentProof proof, long now)
    {
        var person = await PersonStore.FindLiveAsync(c, tx, personId, forUpdate: true);
        if (person?.Email is not { } address) return false;
        var reason = $"re-subscribed by the person on the preference page (IP {proof.Ip ?? "unknown"})";
        var lifted = await c.ExecuteAsync(
            "UPDATE email_suppressions SET lifted_at = @now, lifted_reason = @reason " +
            "WHERE reason = @Unsubscribed AND lifted_at IS NULL AND (address = @address OR person_id = @Id)",
            new { now, reason, SuppressionReasons.Unsubscribed, address = EmailSuppressions.Normalize(address), person.Id }, tx);
        if (lifted == 0 && person.Unsubscribed == 0) return false;

        var consent = await ConsentStore.FindAsync(c, tx, person.Id);
        await ConsentStore.SaveAsync(c, tx, person.Id, ConsentStatus.OptedIn, ConsentBasis.Consent, proof, consent?.RequestedAt, now, now);
        await ConsentStore.LogAsync(c, tx, person.Id, "resubscribed", proof, now, ConsentBasis.Consent,
            detail: $"lifted {lifted} unsubscribe suppression(s) of {EmailSuppressions.Normalize(address)}");
        if (person.Unsubscribed != 0)
        {
            person.SetConsent(person.Consent with { Unsubscribed = false });
            person.UpdatedAt = Math.Max(person.UpdatedAt, now);
            await PersonStore.UpdateAsync(c, tx, person);
            events.Raise(tx, new ProfileChanged(person.Id, ["consent"], Unsubscriber.Person));
        }
        return true;
    }
}
