using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Operations;

/// <summary>
/// Liveness and readiness for load balancers and orchestrators, without a key. Live: the process answers (no database
/// work, so a slow database never gets a server restarted). Ready: the database answers and every migration this build
/// carries has been applied. Both are one small query at most.
/// </summary>
internal static class Health
{
    private static readonly ConcurrentDictionary<DatabaseProvider, int[]> Expected = new();

    public sealed record Report(string Status, string? Reason = null, IReadOnlyList<int>? PendingMigrations = null);

    public static void Map(WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new Report("live"))).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/health/ready", ReadyAsync).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> ReadyAsync(Database db, HttpContext http, CancellationToken ct)
    {
        var expected = Expected.GetOrAdd(db.Provider, _ => new Migrator(db).Available().Select(m => m.Version).ToArray());
        IReadOnlyList<int> pending;
        try
        {
            var applied = await db.ReadAsync(c => c.QueryAsync<int>("SELECT version FROM schema_migrations"), ct);
            pending = expected.Except(applied).ToList();
        }
        catch (DbException)
        {
            return NotReady(http, new Report("unavailable", "The database does not answer."));
        }
        return pending.Count == 0
            ? TypedResults.Ok(new Report("ready"))
            : NotReady(http, new Report("migrating", "Migrations are pending; the server applies them at start, or run `tandem db migrate`.", pending));
    }

    private static IResult NotReady(HttpContext http, Report status)
    {
        http.Response.Headers.RetryAfter = "5";
        return TypedResults.Json(status, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
