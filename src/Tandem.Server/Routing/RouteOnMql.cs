using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.People;

namespace Tandem.Server.Routing;

/// <summary>Routes a lead in the same transaction that makes it an MQL: qualified and assigned commit together, or neither does.</summary>
public sealed class RouteOnMql(LeadRouter router) : IPersonEventHandler
{
    public async Task StageChangedAsync(DbConnection c, DbTransaction tx, long personId, Stage? from, Stage to, Actor actor)
    {
        if (to == Stage.MQL) await router.RouteAsync(c, tx, personId, LeadRouter.Triggers.Mql, actor, enteringStage: to);
        // A lead recycled or disqualified while waiting for an owner no longer needs one.
        else if (to.NeedsReason()) await c.ExecuteAsync("DELETE FROM routing_queue WHERE person_id = @personId", new { personId }, tx);
    }
}
