using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Reports;

/// <summary>
/// The shared numbers behind the Reports section: the revenue-cycle funnel, velocity and traffic, at
/// /api/v1/reports/… for a key with reports:read, and on the web pages under /reports for the signed-in (scoped by role).
/// </summary>
internal static class ReportsModule
{
    public static IServiceCollection AddReports(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/reports").WithTags("Reports");
        reports.MapGet("/funnel", Funnel).RequireScope(Scopes.ReportsRead)
            .WithSummary("The revenue-cycle funnel: counts reaching each stage and the conversion between them, by period or cohort " +
                         "(mode=period|cohort|mql-cohort, from, to, interval=week|month, by=channel|campaign|persona|grade|team|rep).");
        reports.MapGet("/velocity", Velocity).RequireScope(Scopes.ReportsRead)
            .WithSummary("Median and 90th-percentile days between stages, time in stage now and the slowest leads (from, to, by).");
        reports.MapGet("/traffic", Traffic).RequireScope(Scopes.ReportsRead)
            .WithSummary("Visitors and sessions, anonymous and known, from tracked page views, by channel (from, to, interval).");
        return app;
    }

    private static async Task<Results<Ok<FunnelDto>, ValidationProblem>> Funnel(HttpRequest request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var r = ReportRequest.Parse(name => request.Query[name], clock.GetUtcNow(), v);
        if (!v.IsValid) return v.ToProblem();
        return TypedResults.Ok(await db.ReadAsync(c => FunnelReport.ReadAsync(c, r, null), ct));
    }

    private static async Task<Results<Ok<VelocityDto>, ValidationProblem>> Velocity(HttpRequest request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var now = clock.GetUtcNow();
        var r = ReportRequest.Parse(name => request.Query[name], now, v);
        if (!v.IsValid) return v.ToProblem();
        return TypedResults.Ok(await db.ReadAsync(c => VelocityReport.ReadAsync(c, r, null, now), ct));
    }

    private static async Task<Results<Ok<TrafficDto>, ValidationProblem>> Traffic(HttpRequest request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var r = ReportRequest.Parse(name => request.Query[name], clock.GetUtcNow(), v);
        if (!v.IsValid) return v.ToProblem();
        return TypedResults.Ok(await db.ReadAsync(c => TrafficReport.ReadAsync(c, r, null), ct));
    }
}
