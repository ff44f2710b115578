using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.Lifecycle;
using Tandem.Server.Security;

namespace Tandem.Server.Handoff;

/// <summary>POST /api/v1/people/{id}/accept: sales takes the MQL (→ SAL).</summary>
internal static class AcceptLead
{
    public sealed record Request(string? Note);

    public static async Task<Results<Ok<DispositionDto>, ValidationProblem, ProblemHttpResult>> Handle(long id, Request? request, HttpContext http,
        Dispositions dispositions, CancellationToken ct)
    {
        if (request?.Note is { Length: > 4000 }) return Problems.Field("note", "Must be at most 4000 characters.");
        return await dispositions.RecordAsync(id, new DispositionRequest(DispositionKinds.Accepted, [Stage.MQL], Stage.SAL, null, null,
            Clean(request?.Note), null), Actors.Of(http.User), ct);
    }

    internal static string? Clean(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();
}
