namespace Tandem.Server.Web.Nurture;

/// <summary>
/// What a new program starts from on the page: a complete, valid definition to edit rather than an empty box, so the
/// shape of entry, steps and exits is in front of the marketer from the first minute. It names the first email
/// template, which the marketer changes to their own; with no template yet it starts from the task step alone, since an
/// email step must name a template that exists.
/// </summary>
internal static class StarterProgram
{
    public static string Json(long? firstTemplateId)
    {
        var email = firstTemplateId is { } t ? $$"""{ "key": "welcome", "type": "email", "templateId": {{t}} },""" : "";
        return $$$"""
            {
              "entry": { "filter": { "stage": "Lead" }, "events": [ { "type": "formSubmitted" } ] },
              "steps": [
                {{{email}}}
                { "key": "pause", "type": "wait", "duration": "2d" },
                { "key": "engaged", "type": "branch", "if": { "score": "engagement", "atLeast": 40 }, "then": "call", "else": "end" },
                { "key": "call", "type": "task", "title": "Call {{firstName}} at {{company}}: engaged after the welcome", "dueInHours": 24 },
                { "key": "end", "type": "exit" }
              ],
              "exits": [ "becameMql", "acceptedBySales", "replied", "unsubscribed", "bounced" ],
              "sendWindow": { "days": [ "monday", "tuesday", "wednesday", "thursday", "friday" ], "from": "08:00", "to": "18:00" },
              "holdoutPercent": 10
            }
            """;
    }
}
