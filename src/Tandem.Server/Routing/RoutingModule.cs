using Tandem.Server.People;
using Tandem.Server.Security;

namespace Tandem.Server.Routing;

internal static class RoutingModule
{
    public static IServiceCollection AddLeadRouting(this IServiceCollection services)
    {
        services.AddSingleton<AssignOwner>();
        services.AddSingleton<AssignByHand>();
        services.AddSingleton<LeadRouter>();
        services.AddSingleton<IReassignLeads>(sp => sp.GetRequiredService<LeadRouter>());
        return services;
    }

    public static IEndpointRouteBuilder MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        var people = app.MapGroup("/api/v1/people").WithTags("Routing");
        people.MapPost("/{id:long}/route", RouteLead.Handle).RequireScope(Scopes.Write)
            .WithSummary("Route the lead now with the routing rules; answers the decision and its explanation (dryRun=true: decide, explain, change nothing).");
        people.MapGet("/{id:long}/routing", ExplainRouting.Handle).RequireScope(Scopes.Read)
            .WithSummary("Why did this rep get this lead: the owner and every routing decision, newest first.");
        people.MapPut("/{id:long}/owner", AssignByHand.Handle).RequireScope(Scopes.Write)
            .WithSummary("Give the lead to a rep by hand; recorded as a decision, with the same notifications.");
        app.MapPut("/api/v1/accounts/{id:long}/owner", SetAccountOwner.Handle).RequireScope(Scopes.Admin).WithTags("Routing")
            .WithSummary("Set (or clear, with userId null) the rep who owns an account.");

        var routing = app.MapGroup("/api/v1/routing").WithTags("Routing");
        routing.MapGet("/rules", RuleEndpoints.List).RequireScope(Scopes.Read).WithSummary("The routing rules in order; the first match wins.");
        routing.MapPost("/rules", RuleEndpoints.Create).RequireScope(Scopes.Admin).WithSummary("Add a routing rule.");
        routing.MapPut("/rules/{id:long}", RuleEndpoints.Replace).RequireScope(Scopes.Admin).WithSummary("Replace a routing rule.");
        routing.MapDelete("/rules/{id:long}", RuleEndpoints.Delete).RequireScope(Scopes.Admin).WithSummary("Delete a routing rule.");
        routing.MapGet("/teams", TeamEndpoints.List).RequireScope(Scopes.Read).WithSummary("Teams with members, manager and fallback owner.");
        routing.MapPost("/teams", TeamEndpoints.Create).RequireScope(Scopes.Admin).WithSummary("Create a team.");
        routing.MapPut("/teams/{id:long}", TeamEndpoints.Replace).RequireScope(Scopes.Admin).WithSummary("Replace a team's settings and members.");
        routing.MapGet("/reps", RepEndpoints.List).RequireScope(Scopes.Read).WithSummary("Reps with availability, load and why they cannot take a lead now.");
        routing.MapPut("/reps/{userId:long}", RepEndpoints.Update).RequireScope(Scopes.Admin)
            .WithSummary("Set a rep's active flag, time zone, working hours, capacity, daily quota and weight.");
        routing.MapPost("/reps/{userId:long}/time-off", RepEndpoints.AddTimeOff).RequireScope(Scopes.Write).WithSummary("Record an out-of-office period.");
        routing.MapDelete("/reps/{userId:long}/time-off/{id:long}", RepEndpoints.RemoveTimeOff).RequireScope(Scopes.Write)
            .WithSummary("Remove an out-of-office period.");
        routing.MapGet("/queue", UnassignedQueue.List).RequireScope(Scopes.Read).WithSummary("Leads waiting for an owner, oldest first.");
        return app;
    }
}
