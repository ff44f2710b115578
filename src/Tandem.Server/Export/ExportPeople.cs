using System.Text;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Export;

/// <summary>GET /api/v1/people/export: any filtered list of people as a streamed CSV download.</summary>
public static class ExportPeople
{
    public sealed record Query(
        string? Email, string? Stage, long? AccountId, string? Q, string? Channel, string? Country, long? OwnerId, string? Grade, bool? MeetsMql,
        DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore, DateTimeOffset? UpdatedSince)
    {
        public PeopleFilter ToFilter() => new(Email, Stage, AccountId, Q, Channel, Country, OwnerId, Grade, MeetsMql, CreatedAfter, CreatedBefore, UpdatedSince);
    }

    public static async Task<IResult> Handle([AsParameters] Query query, HttpContext http, Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var (where, args) = query.ToFilter().ToSql(v);
        if (!v.IsValid) return v.ToProblem();
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"people-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var c = await db.OpenAsync(ct);
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024);
        await PeopleCsvExporter.WriteAsync(c, where, args, writer, ct);
        return Results.Empty;
    }

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/people/export", Handle).RequireScope(Scopes.Read).WithTags("Export")
            .Produces(200, contentType: "text/csv")
            .WithSummary("Export people as CSV (same filters as the list, plus ownerId, grade, meetsMql). Imports back with preset 'tandem'.");
        return app;
    }
}
