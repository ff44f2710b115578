using Tandem.Server.People;

namespace Tandem.Server.Notifications;

/// <summary>
/// The bodies of lead notifications: lead.assigned and lead.unassigned (the lead, its new owner if any, the team and
/// why), lead.replied (the lead, its owner, the team and what they wrote). The person is described the same way in each.
/// </summary>
internal static class LeadPayload
{
    public static object Of(PersonRow p, long decisionId, string explanation, long? teamId, string? teamName, long at, object? owner) => new
    {
        person = Person(p),
        owner,
        team = teamId is null ? null : new { id = teamId, name = teamName },
        decisionId,
        explanation,
        at = DateTimeOffset.FromUnixTimeMilliseconds(at),
    };

    /// <param name="reply">What they wrote: sendId, the subject of our email, from, subject, text.</param>
    public static object Replied(PersonRow p, object? owner, long? teamId, string? teamName, object reply, long at) => new
    {
        person = Person(p),
        owner,
        team = teamId is null ? null : new { id = teamId, name = teamName },
        reply,
        at = DateTimeOffset.FromUnixTimeMilliseconds(at),
    };

    /// <summary>The person as every notification describes them.</summary>
    public static object Person(PersonRow p) => new
    {
        id = p.Id, email = p.Email, firstName = p.FirstName, lastName = p.LastName, company = p.Company, title = p.Title,
        phone = p.Phone, country = p.Country, stage = p.Stage, grade = p.FitGrade, engagement = p.EngagementScore,
    };
}
