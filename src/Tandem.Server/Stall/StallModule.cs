using Tandem.Server.Security;

namespace Tandem.Server.Stall;

/// <summary>Resurrection: stall rules, the sweep that finds stalled leads, the actions it takes, revivals and their report.</summary>
internal static class StallModule
{
    public static IServiceCollection AddStalls(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(StallOptions.Section).Get<StallOptions>() ?? new StallOptions());
        services.AddSingleton<StallSweep>();
        services.AddSingleton<StallActions>();
        services.AddSingleton<StallTicker>();
        services.AddHostedService<StallScheduler>();
        return services;
    }

    public static IEndpointRouteBuilder MapStallEndpoints(this IEndpointRouteBuilder app)
    {
        var stalls = app.MapGroup("/api/v1/stalls").WithTags("Stalls");
        stalls.MapGet("", StallEndpoints.List).RequireScope(Scopes.StallsRead)
            .WithSummary("Stalled leads: state (live|open|acted|revived|closed), stage, ownerId, teamId, rule, minAgeDays, limit.");
        stalls.MapGet("/{id:long}", StallEndpoints.Get).RequireScope(Scopes.StallsRead).WithSummary("One stall: rule, story, actions, revival.");
        stalls.MapPost("/sweep", StallEndpoints.Sweep).RequireScope(Scopes.StallsWrite).WithSummary("Sweep for stalled leads now and act on new stalls.");
        stalls.MapPost("/bulk", StallEndpoints.Bulk).RequireScope(Scopes.StallsWrite)
            .WithSummary("Act on stalls: {\"ids\": [..], \"action\": \"reassign\"} (or remindOwner, notifyManager, enrollRevival + programId, createTask, recycle, close).");
        stalls.MapGet("/report", RevivalReport.Handle).RequireScope(Scopes.StallsRead)
            .WithSummary("The revival report: from, to, by=rule|program|source|rep, format=json|csv.");
        stalls.MapGet("/rules", ManageStallRules.Get).RequireScope(Scopes.StallsRead).WithSummary("The published stall rules and the draft.");
        stalls.MapGet("/rules/versions", ManageStallRules.Versions).RequireScope(Scopes.StallsRead).WithSummary("Every version of the stall rules.");
        stalls.MapPut("/rules/draft", ManageStallRules.SaveDraft).RequireScope(Scopes.StallsWrite).WithSummary("Save the draft rule set.");
        stalls.MapPost("/rules/preview", ManageStallRules.Preview).RequireScope(Scopes.StallsRead)
            .WithSummary("Who the draft would find stalled now, rule by rule: a count and the first 20 with their story.");
        stalls.MapPost("/rules/publish", ManageStallRules.Publish).RequireScope(Scopes.StallsWrite)
            .WithSummary("Publish the draft; the next sweep re-reads every watched lead under it.");
        return app;
    }
}
