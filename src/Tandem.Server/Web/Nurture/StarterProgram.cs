namespace Tandem.Server.Web.Nurture;

/// <summary>
/// What a new program starts from on the page: a complete, valid definition to edit rather than an empty box, so the
/// shape of entry, steps and exits is in front of the marketer from the first minute. It names the first email
/// template, which the marketer changes to their own.
/// </summary>
internal static class StarterProgram
{
    public static string Json(long? firstTemplateId) => $$$"""
        {
          "entry": { "filter": { "stage": "Lead" }, "events": [ { "type": "formSubmitted" } ] },
          "steps": [
            { "key": "welcome", "type": "email", "templateId": {{{firstTemplateId ?? 1}}} },
            { "key": "pause", "type": "wait", "duration": "2d" },
            { "key": "clicked", "type": "branch", "if": { "email": "clicked", "of": "any" }, "then": "call", "else": "end" },
            { "key": "call", "type": "task", "title": "Call {{firstName}} at {{company}}: clicked a welcome email", "dueInHours": 24 },
            { "key": "end", "type": "exit" }
          ],
          "exits": [ "becameMql", "acceptedBySales", "replied", "unsubscribed", "bounced" ],
          "sendWindow": { "days": [ "monday", "tuesday", "wednesday", "thursday", "friday" ], "from": "08:00", "to": "18:00" },
          "holdoutPercent": 10
        }
        """;
}
