using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.Lifecycle;
using Tandem.Server.Security;

namespace Tandem.Server.Handoff;

/// <summary>POST /api/v1/people/{id}/reject: sales turns the lead down with a reason code; the code decides Recycled or Disqualified.</summary>
internal static class RejectLead
{
    public sealed record Request(string? ReasonCode, string? Note);

    public static async Task<Results<Ok<DispositionDto>, ValidationProblem, ProblemHttpResult>> Handle(long id, Request request, HttpContext http,
        Dispositions dispositions, ReasonCatalog catalog, CancellationToken ct)
    {
        var reasons = catalog.Current.Reject;
        var code = request.ReasonCode?.Trim().ToLowerInvariant();
        var v = new Validation();
        if (string.IsNullOrEmpty(code)) v.Add("reasonCode", $"Rejecting needs a reason code: {string.Join(", ", reasons.Select(r => r.Code))}.");
        else if (reasons.All(r => r.Code != code))
            v.Add("reasonCode", $"'{request.ReasonCode}' is not a rejection reason; use one of: {string.Join(", ", reasons.Select(r => r.Code))}.");
        if (request.Note is { Length: > 4000 }) v.Add("note", "Must be at most 4000 characters.");
        if (!v.IsValid) return v.ToProblem();
        var reason = reasons.First(r => r.Code == code);
        return await dispositions.RecordAsync(id, new DispositionRequest(DispositionKinds.Rejected, [Stage.MQL, Stage.SAL], reason.Stage, reason.Code,
            reason.Code, AcceptLead.Clean(request.Note), null), Actors.Of(http.User), ct);
    }
}
