using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.People;

namespace Tandem.Server.Routing;

/// <summary>Routes a lead in the same transaction that makes it an MQL: qualified and assigned commit together, or neither does.</summary>
internal sealed class RouteOnMql(LeadRouter router) : IPersonEventHandler
{
    public async Task OnStageChangedAsync(DbConnection c, DbTransaction tx, StageChanged e)
    {
        if (e.To == Stage.MQL) await router.RouteAsync(c, tx, e.PersonId, LeadRouter.Triggers.Mql, e.Actor);
        // A lead recycled or disqualified while waiting for an owner no longer needs one.
        else if (e.To.NeedsReason()) await c.ExecuteAsync("DELETE FROM routing_queue WHERE person_id = @PersonId", e, tx);
    }
}
