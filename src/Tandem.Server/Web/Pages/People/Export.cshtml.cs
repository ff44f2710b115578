using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Export;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;
using Tandem.Server.Web.People;
using Tandem.Server.Audit;

namespace Tandem.Server.Web.Pages.People;

/// <summary>GET /people/export: the filtered list as CSV, every matching lead the user may see, streamed row by row.</summary>
internal sealed class ExportModel(Database db, TimeProvider clock) : TandemPageModel
{
    public static readonly string[] Header =
        ["id", "email", "first_name", "last_name", "company", "title", "country", "stage", "stage_changed_at", "fit_grade",
         "engagement_score", "score_cell", "personas", "source", "owner", "created_at"];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var address = PeopleListAddress.From(Request.Query);
        // Filters that cannot be used match nobody, as on the list the export was started from.
        var query = address.Query(Scope, new Validation());
        // Recorded before the first row leaves: an export that breaks off has still shown someone the people it reached.
        await db.WriteAsync((c, tx) => AuditLog.WriteAsync(c, tx, clock.GetUtcNow().ToUnixTimeMilliseconds(), "export.people", "web app",
            new { filters = Request.QueryString.Value }), ct);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"tandem-people-{clock.GetUtcNow():yyyyMMdd-HHmm}.csv\"";
        await using var connection = await db.OpenAsync(ct);
        await using var writer = new StreamWriter(Response.Body, new System.Text.UTF8Encoding(false));
        await writer.WriteAsync(string.Join(',', Header) + "\r\n");
        if (query is not null)
            await foreach (var r in PeopleList.AllAsync(connection, query, Scope, address.OrderBy).WithCancellation(ct))
            {
                object?[] fields =
                [
                    r.Id, r.Email, r.FirstName, r.LastName, r.AccountName ?? r.Company, r.Title, r.Country, r.Stage,
                    Iso(r.StageChangedAt), r.FitGrade, r.EngagementScore, r.ScoreCell, string.Join("; ", r.PersonaNames),
                    r.FirstTouchChannel, r.OwnerName, Iso(r.CreatedAt),
                ];
                await writer.WriteAsync(string.Join(',', fields.Select(f => CsvText.Escape(Convert.ToString(f, CultureInfo.InvariantCulture)))) + "\r\n");
            }
        await writer.FlushAsync(ct);
        return new EmptyResult();
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
