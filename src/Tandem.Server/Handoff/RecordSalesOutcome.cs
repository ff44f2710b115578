using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.Lifecycle;
using Tandem.Server.Security;

namespace Tandem.Server.Handoff;

/// <summary>
/// What sales records after accepting: qualified (→ SQL), an opportunity with its amount (→ Opportunity),
/// won with the amount (→ Customer), or lost with a reason (→ Recycled, back to nurture).
/// </summary>
internal static class RecordSalesOutcome
{
    public sealed record QualifyRequest(string? Note);

    public sealed record AmountRequest(decimal? Amount, string? Note);

    public sealed record LostRequest(string? ReasonCode, string? Note);

    public static async Task<Results<Ok<DispositionDto>, ValidationProblem, ProblemHttpResult>> Qualify(long id, QualifyRequest? request, HttpContext http,
        Dispositions dispositions, CancellationToken ct)
    {
        if (request?.Note is { Length: > 4000 }) return Problems.Field("note", "Must be at most 4000 characters.");
        return await dispositions.RecordAsync(id, new DispositionRequest(DispositionKinds.Qualified, [Stage.MQL, Stage.SAL], Stage.SQL, null, null,
            AcceptLead.Clean(request?.Note), null), Actors.Of(http.User), ct);
    }

    public static Task<Results<Ok<DispositionDto>, ValidationProblem, ProblemHttpResult>> Opportunity(long id, AmountRequest request, HttpContext http,
        Dispositions dispositions, CancellationToken ct) =>
        WithAmountAsync(id, request, DispositionKinds.Opportunity, [Stage.SAL, Stage.SQL], Stage.Opportunity, http, dispositions, ct);

    public static Task<Results<Ok<DispositionDto>, ValidationProblem, ProblemHttpResult>> Won(long id, AmountRequest request, HttpContext http,
        Dispositions dispositions, CancellationToken ct) =>
        WithAmountAsync(id, request, DispositionKinds.Won, [Stage.SQL, Stage.Opportunity], Stage.Customer, http, dispositions, ct);

    public static async Task<Results<Ok<DispositionDto>, ValidationProblem, ProblemHttpResult>> Lost(long id, LostRequest request, HttpContext http,
        Dispositions dispositions, ReasonCatalog catalog, CancellationToken ct)
    {
        var reasons = catalog.Current.Lost;
        var code = request.ReasonCode?.Trim().ToLowerInvariant();
        var v = new Validation();
        if (string.IsNullOrEmpty(code)) v.Add("reasonCode", $"A lost deal needs a reason code: {string.Join(", ", reasons)}.");
        else if (!reasons.Contains(code)) v.Add("reasonCode", $"'{request.ReasonCode}' is not a lost reason; use one of: {string.Join(", ", reasons)}.");
        if (request.Note is { Length: > 4000 }) v.Add("note", "Must be at most 4000 characters.");
        if (!v.IsValid) return v.ToProblem();
        return await dispositions.RecordAsync(id, new DispositionRequest(DispositionKinds.Lost, [Stage.SQL, Stage.Opportunity], Stage.Recycled,
            catalog.LostStageReason, code, AcceptLead.Clean(request.Note), null), Actors.Of(http.User), ct);
    }

    private static async Task<Results<Ok<DispositionDto>, ValidationProblem, ProblemHttpResult>> WithAmountAsync(long id, AmountRequest request, string kind,
        Stage[] from, Stage to, HttpContext http, Dispositions dispositions, CancellationToken ct)
    {
        var v = new Validation();
        if (request.Amount is not { } amount) v.Add("amount", "The amount is required, in the currency's units (e.g. 12500.00).");
        else if (amount <= 0 || amount > 1_000_000_000_000m) v.Add("amount", "Must be greater than 0 and at most 1,000,000,000,000.");
        else if (decimal.Round(amount, 2) != amount) v.Add("amount", "Use at most two decimals.");
        if (request.Note is { Length: > 4000 }) v.Add("note", "Must be at most 4000 characters.");
        if (!v.IsValid) return v.ToProblem();
        return await dispositions.RecordAsync(id, new DispositionRequest(kind, from, to, null, null, AcceptLead.Clean(request.Note), request.Amount),
            Actors.Of(http.User), ct);
    }
}
