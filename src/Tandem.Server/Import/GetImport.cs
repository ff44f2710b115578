using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Export;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Import;

/// <summary>GET /api/v1/imports, /imports/{id} and /imports/{id}/errors: jobs, their progress and their rejected rows.</summary>
internal static class GetImport
{
    public static async Task<Results<Ok<ImportJobDto>, ProblemHttpResult>> Handle(long id, Database db, TimeProvider clock, CancellationToken ct)
    {
        var job = await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, id), ct);
        return job is null ? Problems.NotFound("Import", id) : TypedResults.Ok(ImportJobDto.From(job, clock.GetUtcNow()));
    }

    public static async Task<Ok<IReadOnlyList<ImportJobDto>>> List(Database db, TimeProvider clock, CancellationToken ct)
    {
        var jobs = await db.ReadAsync(c => ImportJobStore.ListAsync(c, 50), ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok<IReadOnlyList<ImportJobDto>>(jobs.Select(j => ImportJobDto.From(j, now)).ToList());
    }

    /// <summary>The rejected rows as CSV (row, column, value, reason), streamed page by page.</summary>
    public static async Task<IResult> Errors(long id, HttpContext http, Database db, CancellationToken ct)
    {
        var job = await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, id), ct);
        if (job is null) return Problems.NotFound("Import", id);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"import-{id}-errors.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteAsync("row,column,value,reason\n");
        await using var c = await db.OpenAsync(ct);
        long after = 0;
        while (true)
        {
            var page = (await c.QueryAsync<(long Seq, long Row, string? Column, string? Value, string Reason)>(
                "SELECT seq, row_number, column_name, value, reason FROM import_job_errors WHERE job_id = @id AND seq > @after ORDER BY seq LIMIT 1000",
                new { id, after })).ToList();
            if (page.Count == 0) break;
            foreach (var e in page)
                await writer.WriteAsync($"{e.Row},{CsvText.Escape(e.Column)},{CsvText.Escape(e.Value)},{CsvText.Escape(e.Reason)}\n");
            after = page[^1].Seq;
        }
        await writer.FlushAsync(ct);
        return Results.Empty;
    }
}
