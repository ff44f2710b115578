using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.CampaignReports;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Content;

internal static class ContentEndpoints
{
    public static IEndpointRouteBuilder MapContentEndpoints(this IEndpointRouteBuilder app)
    {
        var assets = app.MapGroup("/api/v1/content/assets").WithTags("Content");
        assets.MapGet("/", ContentAssets.List).RequireScope(Scopes.Read).WithSummary("The content registry (archived assets with archived=true).");
        assets.MapPost("/", ContentAssets.Create).RequireScope(Scopes.Write).WithSummary("Register an asset: title, type, URL pattern or id, owner team.");
        assets.MapPut("/{id:long}", ContentAssets.Update).RequireScope(Scopes.Write).WithSummary("Change or archive an asset.");
        app.MapPost("/api/v1/people/{id:long}/content-shares", ShareContent.Handle).WithTags("Content").RequireScope(Scopes.Write)
            .WithSummary("Record that an asset was sent to the person (sales use).");
        app.MapGet("/api/v1/reports/content", Report).WithTags("Reports").RequireScope(Scopes.ReportsRead)
            .WithSummary("Per asset: views, downloads, sales shares, and the SQLs, customers and revenue it influenced.");
        return app;
    }

    private static async Task<Results<Ok<ContentReport.ReportDto>, ValidationProblem>> Report(string? from, string? to, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var (period, problem) = ReportPeriod.Parse(from, to, clock.GetUtcNow());
        if (problem is not null) return problem;
        return TypedResults.Ok(await db.ReadAsync(c => ContentReport.ReadAsync(c, period!, null), ct));
    }
}
