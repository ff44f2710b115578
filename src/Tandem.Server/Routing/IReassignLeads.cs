using System.Data.Common;
using Tandem.Domain.Lifecycle;

namespace Tandem.Server.Routing;

/// <summary>
/// Gives a lead to the next eligible rep, skipping the one who has it — what an SLA breach does when
/// its policy says "reassign". Implemented by routing, so eligibility (away, at capacity…) is judged in one place.
/// </summary>
internal interface IReassignLeads
{
    /// <returns>The new owner's user id, or null when nobody else is eligible (the lead then stays, and the caller escalates).</returns>
    Task<long?> ReassignAsync(DbConnection c, DbTransaction tx, long personId, long excludeUserId, string why, Actor actor);
}
