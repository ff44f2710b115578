using Tandem.Server.Notifications;
using Tandem.Server.Nurture;
using Tandem.Server.Prediction;
using Tandem.Server.Routing;
using Tandem.Server.Scoring;
using Tandem.Server.Sla;
using Tandem.Server.Stall;

namespace Tandem.Server.People;

/// <summary>People: the record every module works on, the events raised about it, and the consequences that follow.</summary>
internal static class PeopleModule
{
    /// <summary>
    /// The order consequences run in (see <see cref="Consequences"/>). A new kind of consequence (nurture, say) is one
    /// more line here and one handler class in its own module; <c>docs/architecture.md</c> draws the path.
    /// </summary>
    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        services.AddSingleton<PersonEvents>();
        services.AddSingleton<IPersonEventHandler, ScoreOnEvents>();      // 1. scoring: a new score, perhaps the move to MQL
        services.AddSingleton<IPersonEventHandler, RouteOnMql>();         // 2. routing: a new MQL gets an owner
        services.AddSingleton<IPersonEventHandler, SlaClockKeeper>();     // 3. SLA: clocks start on assignment, stop on touches and decisions
        services.AddSingleton<IPersonEventHandler, NotifyOnAssignment>(); // 4. notifications: the rep and the manager hear of the assignment
        services.AddSingleton<IPersonEventHandler, NotifyOnReply>();      //    and the owner hears of a reply to an email
        services.AddSingleton<IPersonEventHandler, NotifyOnPersonChanges>(); //  and webhooks hear of people created, changed, moved, merged
        services.AddSingleton<IPersonEventHandler, EnrollOnEvents>();     // 5. nurture: events and filters enroll, exits (MQL, reply, unsubscribe…) take out
        services.AddSingleton<IPersonEventHandler, ReviveOnEvents>();     // 6. resurrection: a stalled lead that re-engages is revived and goes back to sales
        services.AddSingleton<IPersonEventHandler, PredictOnEvents>();    // 7. prediction: the conversion probability follows the person's data
        services.AddSingleton<Consequences>();
        services.AddSingleton<LiftOptOut>();
        return services;
    }
}
