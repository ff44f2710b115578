using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Handoff;
using Tandem.Server.Lifecycle;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.People;

/// <summary>
/// Records a hand-off decision or sales outcome from the web app through the same use cases as the API
/// (<see cref="AcceptLead"/>, <see cref="RejectLead"/>, <see cref="RecordSalesOutcome"/>), after checking the lead is
/// the user's to decide on. The answer carries the API's field errors ("reasonCode", "amount", "note").
/// </summary>
internal sealed class RecordHandoff(Database db, Dispositions dispositions, ReasonCatalog options)
{
    public sealed record Input(string? Action, string? ReasonCode, string? Note, string? Amount);

    /// <summary>The outcome, and the lead's name for the page to say what happened.</summary>
    public sealed record Recorded(FormOutcome Outcome, string LeadName);

    /// <summary>Null when the lead does not exist or is not the user's to see (the page answers 404).</summary>
    public async Task<Recorded?> RunAsync(LeadScope scope, long personId, Input input, HttpContext http, CancellationToken ct)
    {
        var person = await db.ReadAsync(c => scope.FindAsync(c, null, personId), ct);
        if (person is null) return null;
        var name = $"{person.FirstName} {person.LastName}".Trim() is { Length: > 0 } n ? n : person.Email ?? $"Person {person.Id}";
        var action = input.Action?.Trim().ToLowerInvariant();
        var allowed = HandoffChoices.For(person.ParsedStage, scope.Role);
        if (action is null || !allowed.Contains(action))
            return new(FormOutcome.Invalid("action", allowed.Count == 0
                ? $"Nothing can be recorded for a lead in {person.Stage}."
                : $"A lead in {person.Stage} can be: {string.Join(", ", allowed)}."), name);

        decimal? amount = null;
        if (action is HandoffChoices.Opportunity or HandoffChoices.Won && !string.IsNullOrWhiteSpace(input.Amount))
        {
            if (!decimal.TryParse(input.Amount.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                return new(FormOutcome.Invalid("amount", $"'{input.Amount.Trim()}' is not an amount; write it like 12500 or 12,500.00."), name);
            amount = parsed;
        }
        var id = person.Id;
        IResult result = action switch
        {
            HandoffChoices.Accept => await AcceptLead.Handle(id, new(input.Note), http, dispositions, ct),
            HandoffChoices.Reject => await RejectLead.Handle(id, new(input.ReasonCode, input.Note), http, dispositions, options, ct),
            HandoffChoices.Qualify => await RecordSalesOutcome.Qualify(id, new(input.Note), http, dispositions, ct),
            HandoffChoices.Opportunity => await RecordSalesOutcome.Opportunity(id, new(amount, input.Note), http, dispositions, ct),
            HandoffChoices.Won => await RecordSalesOutcome.Won(id, new(amount, input.Note), http, dispositions, ct),
            _ => await RecordSalesOutcome.Lost(id, new(input.ReasonCode, input.Note), http, dispositions, options, ct),
        };
        return new(FormOutcome.Of(result), name);
    }

    /// <summary>What the flash message says after a decision was recorded.</summary>
    public static string Done(string action, string name) => action switch
    {
        HandoffChoices.Accept => $"Accepted {name}. The lead is yours to work (SAL).",
        HandoffChoices.Reject => $"Rejected {name}; marketing sees the reason.",
        HandoffChoices.Qualify => $"{name} is sales qualified (SQL).",
        HandoffChoices.Opportunity => $"Opened an opportunity for {name}.",
        HandoffChoices.Won => $"Won — {name} is a customer.",
        _ => $"Recorded the lost deal; {name} goes back to nurture.",
    };
}
