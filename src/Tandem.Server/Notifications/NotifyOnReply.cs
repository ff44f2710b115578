using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Server.People;

namespace Tandem.Server.Notifications;

/// <summary>
/// Tells the lead's owner that the lead answered one of our emails, with what they wrote — lead.replied in the outbox,
/// delivered by email and webhook like lead.assigned. A lead with no owner goes to their team's manager; with neither,
/// the notification still reaches webhook subscribers.
/// </summary>
internal sealed class NotifyOnReply(TimeProvider clock) : IPersonEventHandler
{
    public async Task OnEmailEventRecordedAsync(DbConnection c, DbTransaction tx, EmailEventRecorded e)
    {
        if (e.Kind != EmailEventKind.Replied) return;
        var person = await PersonStore.FindAsync(c, tx, e.PersonId);
        if (person is null) return;
        var (ownerId, teamId) = await c.QuerySingleAsync<(long? OwnerId, long? TeamId)>(
            "SELECT owner_id, owner_team_id FROM people WHERE id = @PersonId", e, tx);
        var owner = ownerId is null ? default : await c.QuerySingleOrDefaultAsync<(string Name, string Email)>(
            "SELECT name, email FROM users WHERE id = @ownerId", new { ownerId }, tx);
        var team = teamId is null ? default : await c.QuerySingleOrDefaultAsync<(string Name, long? ManagerUserId)>(
            "SELECT name, manager_user_id FROM teams WHERE id = @teamId", new { teamId }, tx);

        // The reply's words are on the activity the reply just wrote; the event itself carries only what happened.
        var properties = await c.QuerySingleOrDefaultAsync<string>(
            "SELECT properties FROM activities WHERE person_id = @PersonId AND type = 'email_replied' ORDER BY id DESC LIMIT 1", e, tx);
        using var said = JsonDocument.Parse(properties ?? "{}");
        string? P(string name) => said.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var reply = new { sendId = e.SendId, programId = e.ProgramId, stepKey = e.StepKey, emailSubject = P("emailSubject"), from = P("from"),
            subject = P("subject"), text = P("text") };

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var payload = LeadPayload.Replied(person, ownerId is null ? null : new { id = ownerId, name = owner.Name, email = owner.Email },
            teamId, team.Name, reply, now);
        await Outbox.AddAsync(c, tx, Outbox.LeadReplied, person.Id, ownerId ?? team.ManagerUserId, payload, now);
    }
}
