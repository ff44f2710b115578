using Tandem.Server.People;

namespace Tandem.Server.Notifications;

/// <summary>The body of a lead.assigned or lead.unassigned notification: the lead, its new owner (if any), the team and why.</summary>
internal static class LeadPayload
{
    public static object Of(PersonRow p, long decisionId, string explanation, long? teamId, string? teamName, long at, object? owner) => new
    {
        person = new
        {
            id = p.Id, email = p.Email, firstName = p.FirstName, lastName = p.LastName, company = p.Company, title = p.Title,
            phone = p.Phone, country = p.Country, stage = p.Stage, grade = p.FitGrade, engagement = p.EngagementScore,
        },
        owner,
        team = teamId is null ? null : new { id = teamId, name = teamName },
        decisionId,
        explanation,
        at = DateTimeOffset.FromUnixTimeMilliseconds(at),
    };
}
