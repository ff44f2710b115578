using System.Globalization;
using System.Text.Json;

namespace Tandem.Server.Notifications.InApp;

/// <summary>
/// What a notification says in the app and where it leads, from its event and payload. The person's name is read
/// when shown (<paramref name="personName"/>), so a renamed or erased person is shown as they are now.
/// </summary>
internal static class InAppText
{
    public sealed record Words(string Title, string? Detail, string Link);

    public static Words For(string @event, string payload, long userId, long? personId, string? personName)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(payload) ? "{}" : payload);
        var root = doc.RootElement;
        var who = personName ?? NameIn(root) ?? "a lead";
        var lead = personId is { } id ? $"/people/{id}" : "/";
        var ownerId = Long(Obj(root, "owner"), "id");
        return @event switch
        {
            Outbox.LeadAssigned when ownerId == userId => new($"New lead for you: {who}", Str(root, "explanation"), lead),
            Outbox.LeadAssigned => new($"{Str(Obj(root, "owner"), "name") ?? "Your team"} got a new lead: {who}", Str(root, "explanation"), lead),
            Outbox.LeadUnassigned => new($"A lead is waiting for an owner: {who}", Str(root, "explanation"), lead),
            Outbox.LeadReplied => new($"{who} replied" + (Str(Obj(root, "reply"), "emailSubject") is { } about ? $" to “{about}”" : ""),
                Cut(Str(Obj(root, "reply"), "text")), lead),
            SlaEvents.Reminder => new($"{Clock(Str(root, "kind"))} for {who} is due {When(Str(root, "dueAt"))}",
                $"{Long(root, "percent")}% of the time under policy “{Str(root, "policy")}” has gone.", lead),
            SlaEvents.Breached => new($"Missed: {Clock(Str(root, "kind"))} for {who}", Breach(root), lead),
            SlaEvents.Escalated => new($"Your team missed {Clock(Str(root, "kind")).ToLowerInvariant()} for {who}", Breach(root), lead),
            Stall.StallEvents.LeadStalled => new($"Stalled: {who}", Str(root, "story") ?? Str(root, "rule"), lead),
            Stall.StallEvents.LeadRevived => new($"Back to life: {who}", Str(root, "cause") ?? Str(root, "story"), lead),
            "nurture.notify" => new($"{Str(Obj(root, "program"), "name") ?? "A program"} asks you to act on {who}", Cut(Str(root, "message")), lead),
            Planning.PacingCheck.BehindPace => new($"Plan “{Str(root, "plan")}” is behind pace: {Str(root, "step")} ({Str(root, "channel")})",
                Str(root, "words"), Str(root, "link") is { } link && link.StartsWith('/') ? link : "/plan"),
            InAppEvents.NoteMentioned => new($"{Str(root, "by") ?? "A colleague"} mentioned you on {who}", Cut(Str(root, "text")), lead),
            InAppEvents.ImportFinished => Import(root),
            InAppEvents.RescoreFinished => Rescore(root),
            _ => new($"{@event}: {who}", null, lead),
        };
    }

    private static Words Import(JsonElement root)
    {
        var file = Str(root, "fileName") ?? "Your import";
        var link = $"/imports/{Long(root, "jobId")}";
        if (Str(root, "status") != "completed") return new($"Import of {file} failed", Str(root, "failure"), link);
        return new($"Import of {file} finished",
            $"{Long(root, "created"):N0} created, {Long(root, "updated"):N0} updated, {Long(root, "unchanged"):N0} unchanged, {Long(root, "errors"):N0} rows with problems.", link);
    }

    private static Words Rescore(JsonElement root)
    {
        var version = Long(root, "modelVersion");
        if (Str(root, "status") != "done") return new($"Re-scoring under model v{version} failed", Str(root, "error"), "/scoring");
        return new($"Everyone is scored under model v{version}",
            $"{Long(root, "people"):N0} people re-scored; {Long(root, "movedToMql"):N0} moved into MQL.", "/scoring");
    }

    private static string Breach(JsonElement root) =>
        $"Due {When(Str(root, "dueAt"))} under policy “{Str(root, "policy")}”" + (Str(root, "action") switch
        {
            "reassigned" => "; the lead was reassigned.",
            "escalated" => "; the manager was told.",
            _ => ".",
        });

    private static string Clock(string? kind) => kind switch
    {
        "first_touch" => "First touch",
        "decision" => "Accept or reject",
        "attempts" => "Minimum attempts",
        _ => "A service level",
    };

    private static string When(string? iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("MMM d, HH:mm 'UTC'", CultureInfo.InvariantCulture) : "soon";

    private static string? NameIn(JsonElement root)
    {
        var person = Obj(root, "person");
        var name = string.Join(' ', new[] { Str(person, "firstName"), Str(person, "lastName") }.Where(x => !string.IsNullOrWhiteSpace(x)));
        return name.Length > 0 ? name : Str(person, "email");
    }

    private static string? Cut(string? text) => text is { Length: > 280 } ? text[..279] + "…" : text;

    private static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
