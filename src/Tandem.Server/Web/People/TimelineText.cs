using System.Text.Json;
using Tandem.Server.Activities;

namespace Tandem.Server.Web.People;

/// <summary>How a timeline entry reads on the person page: a headline and a detail line, from its type and properties.</summary>
internal static class TimelineText
{
    public sealed record Entry(string Kind, string Headline, string? Detail);

    public static Entry Describe(ActivityRow a)
    {
        using var doc = JsonDocument.Parse(a.Properties);
        var p = doc.RootElement;
        string? S(string name) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;
        string Join(params string?[] parts) => string.Join(" · ", parts.Where(x => !string.IsNullOrWhiteSpace(x)));

        return a.Type switch
        {
            "call" => new("sales", $"Call{(S("outcome") is { } o ? " — " + o.Replace('-', ' ') : "")}", Join(S("subject"), S("notes"), By(S("by")))),
            "email" => new("sales", $"Email{(S("subject") is { } s ? ": " + s : "")}", Join(S("notes"), By(S("by")))),
            "meeting" => new("sales", $"Meeting{(S("subject") is { } s ? ": " + s : "")}", Join(S("notes"), By(S("by")))),
            "note" => new("sales", "Note", Join(S("notes"), By(S("by")))),
            "stage_changed" => new("system", S("from") is { } from ? $"Stage {from} → {S("to")}" : $"Entered as {S("to")}", Join(S("reasonCode"), S("reasonText"), By(S("by")))),
            "assigned" => new("system", $"Assigned to {S("ownerName")}{(S("teamName") is { } team ? $" ({team})" : "")}", Join(S("explanation"), By(S("by")))),
            "sla_breached" => new("system", $"Missed the {Promise(S("kind"))} promise", Join(S("policy"),
                S("dueAt") is { } due && DateTimeOffset.TryParse(due, out var d) ? $"was due {d.UtcDateTime:MMM d, HH:mm} UTC" : null, Consequence(S("action")))),
            "stall_detected" => new("system", $"Stalled: {S("rule")}", S("story")),
            "stall_revived" => new("system", $"Revived: {S("cause")}", Join(S("rule"), S("story"))),
            "page_view" => new("web", "Viewed a page", S("path") ?? S("url")),
            "form_submitted" => new("web", "Submitted a form", S("form")),
            "email_opened" => new("marketing", "Opened an email", S("email")),
            "email_clicked" => new("marketing", "Clicked an email", Join(S("email"), S("url"))),
            "content_downloaded" => new("marketing", "Downloaded content", S("asset")),
            "webinar_attended" => new("marketing", "Attended a webinar", S("webinar")),
            "chat_started" => new("web", "Started a chat", S("topic")),
            "merged" => new("system", "Merged with a duplicate", null),
            _ => new(a.Source == ActivitySources.System ? "system" : "other", a.Type.Replace('_', ' '),
                p.ValueKind == JsonValueKind.Object && p.EnumerateObject().Any() ? string.Join(", ", p.EnumerateObject().Take(4).Select(x => $"{x.Name}: {x.Value}")) : null),
        };
    }

    private static string? By(string? name) => name is null ? null : "by " + name;

    private static string Promise(string? kind) => kind switch { "first_touch" => "first-touch", "decision" => "accept-or-reject", "attempts" => "attempts", _ => kind ?? "service-level" };

    private static string? Consequence(string? action) => action switch
    {
        "reassigned" => "reassigned to the next rep", "escalated" => "manager notified", _ => null,
    };
}
