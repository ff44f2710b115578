using Tandem.Domain.Lifecycle;
using Tandem.Server.Users;

namespace Tandem.Server.Web.People;

/// <summary>
/// What sales can record about a lead from its page, given its stage: the hand-off itself (accept, or reject with a
/// reason) while it is an MQL, and the outcomes that follow acceptance. These are sales' decisions, so sales users and
/// admins make them; marketing sees them recorded but does not decide for sales.
/// </summary>
internal static class HandoffChoices
{
    public const string Accept = "accept", Reject = "reject", Qualify = "qualify", Opportunity = "opportunity", Won = "won", Lost = "lost";

    public static bool MayDecide(string role) => role is Roles.SalesRep or Roles.SalesManager or Roles.Admin;

    public static IReadOnlyList<string> For(Stage stage, string role) => !MayDecide(role) ? [] : stage switch
    {
        Stage.MQL => [Accept, Reject],
        Stage.SAL => [Qualify, Opportunity, Reject],
        Stage.SQL => [Opportunity, Won, Lost],
        Stage.Opportunity => [Won, Lost],
        _ => [],
    };
}
