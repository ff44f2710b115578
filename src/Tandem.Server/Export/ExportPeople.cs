using System.Text;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Export;

/// <summary>GET /api/v1/people/export: any filtered list of people (see <see cref="PeopleQuery"/>) as a streamed CSV download.</summary>
internal static class ExportPeople
{
    public static async Task<IResult> Handle(HttpContext http, Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var query = PeopleQuery.Parse(name => http.Request.Query[name], v);
        if (!v.IsValid) return v.ToProblem();
        // Recorded before the first row leaves: an export that breaks off has still shown someone the people it reached.
        await db.WriteAsync((c, tx) => AuditLog.WriteAsync(c, tx, clock.GetUtcNow().ToUnixTimeMilliseconds(), "export.people", "api",
            new { filters = http.Request.QueryString.Value }), ct);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"people-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var c = await db.OpenAsync(ct);
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024);
        await PeopleCsvExporter.WriteAsync(c, query, writer, ct);
        return Results.Empty;
    }

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/people/export", Handle).RequireScope(Scopes.Read).WithTags("Export").WithPeopleQueryParameters()
            .Produces(200, contentType: "text/csv")
            .WithSummary("Export people as CSV (the same filters as the list). Imports back with preset 'tandem'.");
        return app;
    }
}
