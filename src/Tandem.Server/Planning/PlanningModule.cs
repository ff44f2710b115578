using Tandem.Server.Security;

namespace Tandem.Server.Planning;

/// <summary>
/// Revenue plans: a target worked back to the MQLs and visits it takes, per channel and month, with the capacity check,
/// pacing and scenarios (/api/v1/plans, the /plan page), and the check that tells both teams when a row falls behind pace.
/// </summary>
internal static class PlanningModule
{
    public static IServiceCollection AddPlanning(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(PlanningOptions.Section).Get<PlanningOptions>() ?? new PlanningOptions());
        services.AddSingleton<PacingCheck>();
        services.AddHostedService<PacingScheduler>();
        return services;
    }

    public static IEndpointRouteBuilder MapPlanningEndpoints(this IEndpointRouteBuilder app)
    {
        var plans = app.MapGroup("/api/v1/plans").WithTags("Plans");
        plans.MapGet("", ManagePlans.List).RequireScope(Scopes.ReportsRead).WithSummary("Every plan: name, period, whether it is active.");
        plans.MapGet("/current", ManagePlans.Current).RequireScope(Scopes.ReportsRead)
            .WithSummary("The active plan covering today, worked out as of now (a month's plan before its quarter's, a quarter's before its year's).");
        plans.MapGet("/rates", ReadMeasuredRates.Handle).RequireScope(Scopes.ReportsRead)
            .WithSummary("The conversion rates measured over the last `days` days (default 180), overall and per first-touch channel, with their samples.");
        plans.MapGet("/{id:long}", ManagePlans.Get).RequireScope(Scopes.ReportsRead)
            .WithSummary("A plan worked out as of now: rows per channel and month, capacity check, pacing with projection and words, scenarios.");
        plans.MapPost("", ManagePlans.Create).RequireScope(Scopes.PlansWrite).WithSummary("Create a plan.");
        plans.MapPut("/{id:long}", ManagePlans.Replace).RequireScope(Scopes.PlansWrite).WithSummary("Replace a plan's inputs.");
        plans.MapDelete("/{id:long}", ManagePlans.Delete).RequireScope(Scopes.PlansWrite).WithSummary("Delete a plan.");
        return app;
    }
}
