using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.People;

/// <summary>A rep logs a call, email, meeting or note on a lead's timeline from the person page.</summary>
internal sealed class LogSalesActivity(Consequences consequences, PersonEvents events, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Types = ["call", "email", "meeting", "note"];
    public static readonly IReadOnlyList<string> CallOutcomes = ["connected", "left-voicemail", "no-answer", "wrong-number"];

    public sealed record Input(string? Type, string? Subject, string? Outcome, string? Notes);

    /// <returns>Field errors, empty when logged; null when the person is not visible to the user.</returns>
    public async Task<IReadOnlyDictionary<string, string>?> RunAsync(LeadScope scope, long personId, Input input, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var type = input.Type?.Trim().ToLowerInvariant();
        if (type is null || !Types.Contains(type)) errors["Type"] = "Choose call, email, meeting or note.";
        if (type == "call" && input.Outcome is not null && !CallOutcomes.Contains(input.Outcome)) errors["Outcome"] = "Choose one of the listed call outcomes.";
        if (input.Subject is { Length: > 200 }) errors["Subject"] = "Keep the subject under 200 characters.";
        if (input.Notes is { Length: > 4000 }) errors["Notes"] = "Keep notes under 4,000 characters.";
        if (type == "note" && string.IsNullOrWhiteSpace(input.Notes)) errors["Notes"] = "A note needs some text.";

        return await consequences.WriteAsync<IReadOnlyDictionary<string, string>?>(async (c, tx) =>
        {
            var person = await scope.FindAsync(c, tx, personId);
            if (person is null) return null;
            if (errors.Count > 0) return errors;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var properties = new Dictionary<string, string>();
            if (!string.IsNullOrWhiteSpace(input.Subject)) properties["subject"] = input.Subject.Trim();
            if (type == "call" && input.Outcome is not null) properties["outcome"] = input.Outcome;
            if (!string.IsNullOrWhiteSpace(input.Notes)) properties["notes"] = input.Notes.Trim();
            properties["by"] = actor.Name;
            await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, type!, now, now, ActivitySources.Api, Json.Write(properties)));
            events.Raise(tx, new ActivitiesAppended([person.Id], actor));
            if (properties.TryGetValue("notes", out var notes))
                await Notifications.InApp.Mentions.NotifyAsync(c, tx, person, type!, notes, actor.Type == ActorType.User && long.TryParse(actor.Id, out var me) ? me : null,
                    actor.Name, now);
            return errors;
        }, ct);
    }
}
