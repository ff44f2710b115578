using Tandem.Server.People;
using Tandem.Server.Security;

namespace Tandem.Server.Sla;

/// <summary>The SLA module's public surface: its services and its endpoints.</summary>
internal static class SlaModule
{
    public static IServiceCollection AddSla(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(SlaOptions.Section).Get<SlaOptions>() ?? new SlaOptions());
        services.AddSingleton<SlaBreachRecorder>();
        services.AddSingleton<SlaTicker>();
        services.AddHostedService<SlaScheduler>();
        return services;
    }

    public static IEndpointRouteBuilder MapSlaEndpoints(this IEndpointRouteBuilder app)
    {
        var sla = app.MapGroup("/api/v1/sla").WithTags("SLA");
        sla.MapGet("/calendars", ManageCalendars.List).RequireScope(Scopes.Read).WithSummary("List business-hours calendars.");
        sla.MapGet("/calendars/{id:long}", ManageCalendars.Get).RequireScope(Scopes.Read).WithSummary("Get a calendar.");
        sla.MapPost("/calendars", ManageCalendars.Create).RequireScope(Scopes.Admin)
            .WithSummary("Create a calendar: IANA time zone, weekly hours such as {\"monday\":[\"09:00-17:00\"]}, holidays.");
        sla.MapPut("/calendars/{id:long}", ManageCalendars.Replace).RequireScope(Scopes.Admin).WithSummary("Replace a calendar; running clocks keep their due times.");
        sla.MapDelete("/calendars/{id:long}", ManageCalendars.Delete).RequireScope(Scopes.Admin).WithSummary("Delete a calendar no policy uses.");

        sla.MapGet("/policies", ManagePolicies.List).RequireScope(Scopes.Read).WithSummary("List SLA policies (includeInactive=true for retired ones).");
        sla.MapGet("/policies/{id:long}", ManagePolicies.Get).RequireScope(Scopes.Read).WithSummary("Get an SLA policy.");
        sla.MapPost("/policies", ManagePolicies.Create).RequireScope(Scopes.Admin)
            .WithSummary("Create a policy for a stage and segment: first touch, decision and attempts targets in business time, reminders, breach actions.");
        sla.MapPut("/policies/{id:long}", ManagePolicies.Replace).RequireScope(Scopes.Admin).WithSummary("Replace a policy; applies to assignments from now on.");
        sla.MapDelete("/policies/{id:long}", ManagePolicies.Retire).RequireScope(Scopes.Admin).WithSummary("Retire a policy; its history stays.");

        sla.MapGet("/commitments", ManageCommitments.List).RequireScope(Scopes.Read).WithSummary("List marketing's monthly MQL commitments.");
        sla.MapPost("/commitments", ManageCommitments.Create).RequireScope(Scopes.Admin).WithSummary("Create a commitment: N MQLs a month, X% accepted.");
        sla.MapPut("/commitments/{id:long}", ManageCommitments.Replace).RequireScope(Scopes.Admin).WithSummary("Replace a commitment.");
        sla.MapDelete("/commitments/{id:long}", ManageCommitments.Delete).RequireScope(Scopes.Admin).WithSummary("Delete a commitment.");

        sla.MapGet("/clocks", ListClocks.Clocks).RequireScope(Scopes.Read)
            .WithSummary("SLA clocks: filter ownerId, personId, state (open = a rep's inbox, soonest due first; breached; stopped; all).");
        sla.MapGet("/breaches", ListClocks.Breaches).RequireScope(Scopes.Read).WithSummary("The breach log: from, to, ownerId, teamId.");
        sla.MapGet("/scorecards/sales", SalesScorecards.Handle).RequireScope(Scopes.Read)
            .WithSummary("Sales' scorecard per rep or team (groupBy) for leads assigned between from and to.");
        sla.MapGet("/scorecards/marketing", MarketingScorecards.Handle).RequireScope(Scopes.Read)
            .WithSummary("Marketing's scorecard for a month (YYYY-MM): MQLs against commitments, acceptance rate, rejection reasons.");

        app.MapPost("/api/v1/people/{id:long}/owner", AssignOwnerByHand.Handle).RequireScope(Scopes.Write).WithTags("People")
            .WithSummary("Give the lead to a user (and team) by hand; starts the SLA clocks of the policy that covers it.");
        return app;
    }
}
