using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Audit;

/// <summary>Who did something: a signed-in user, an API key, someone at the command line, an anonymous visitor, or Tandem itself.</summary>
internal sealed record AuditActor(string Kind, string? Id, string Name)
{
    public static AuditActor CommandLine() => new("cli", null, Environment.UserName);
    public static AuditActor System(string what = "system") => new("system", null, what);
}

/// <summary>One row of the audit log, as the API and the page show it.</summary>
internal sealed record AuditEntry(long Id, DateTimeOffset At, string ActorKind, string? ActorId, string ActorName, string Action,
    string? Target, JsonElement? Detail, string? Ip);

/// <summary>
/// Writes the audit log inside the caller's transaction, so a change and its record commit or roll back together.
/// Who acted and from which address are read from the request being served (ASP.NET Core keeps it per async flow),
/// so the many places that change settings need only say what changed; the command line names itself with
/// <see cref="ActingAs"/>.
/// </summary>
internal static class AuditLog
{
    // HttpContextAccessor keeps the current request in a static async-local; AuditModule registers the accessor so the
    // server fills it in for every request.
    private static readonly HttpContextAccessor Requests = new();
    private static readonly AsyncLocal<AuditActor?> Acting = new();

    /// <summary>Records everything written in this async flow as done by <paramref name="actor"/> (the command line).</summary>
    public static IDisposable ActingAs(AuditActor actor)
    {
        var before = Acting.Value;
        Acting.Value = actor;
        return new Restore(() => Acting.Value = before);
    }

    /// <summary>Records <paramref name="action"/> at the request's time (its TimeProvider), for changes made without a clock at hand.</summary>
    public static Task WriteAsync(DbConnection c, DbTransaction tx, string action, string? target, object? detail = null)
    {
        var clock = Requests.HttpContext?.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        return WriteAsync(c, tx, clock.GetUtcNow().ToUnixTimeMilliseconds(), action, target, detail);
    }

    public static async Task WriteAsync(DbConnection c, DbTransaction tx, long now, string action, string? target, object? detail = null,
        AuditActor? actor = null)
    {
        var http = Requests.HttpContext;
        actor ??= Acting.Value ?? ActorOf(http);
        await c.ExecuteAsync(
            "INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, action, target, detail, ip) " +
            "VALUES (@now, @Kind, @Id, @Name, @action, @target, @detail, @ip)",
            new
            {
                now, actor.Kind, actor.Id, actor.Name, action, target,
                detail = detail is null ? null : JsonSerializer.Serialize(detail, Json.Options),
                ip = http?.Connection.RemoteIpAddress?.ToString(),
            }, tx);
    }

    /// <summary>The user or key behind a request (a sign-in page's visitor is anonymous until signed in).</summary>
    public static AuditActor ActorOf(HttpContext? http)
    {
        if (http is null) return AuditActor.System();
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true) return new AuditActor("anonymous", null, "anonymous");
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return user.Identity.AuthenticationType == ApiKeyAuthenticationHandler.Scheme
            ? new AuditActor("key", id, user.FindFirstValue(ClaimTypes.Name) ?? $"key {id}")
            : new AuditActor("user", id, user.FindFirstValue(ClaimTypes.Email) ?? user.FindFirstValue(ClaimTypes.Name) ?? $"user {id}");
    }

    public sealed record Query(string? Action, long? Since, long? Until, long? Before, int Limit);

    /// <summary>Newest first; <see cref="Query.Action"/> matches an action or, ending in '.', every action under it ("settings.").</summary>
    public static Task<IReadOnlyList<AuditEntry>> ListAsync(Database db, Query q, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<AuditEntry>>(async c =>
        {
            var sql = "SELECT id, at, actor_kind AS ActorKind, actor_id AS ActorId, actor_name AS ActorName, action, target, detail, ip FROM audit_log WHERE 1 = 1";
            if (q.Action is { Length: > 0 }) sql += q.Action.EndsWith('.') ? " AND action LIKE @prefix" : " AND action = @Action";
            if (q.Since is not null) sql += " AND at >= @Since";
            if (q.Until is not null) sql += " AND at < @Until";
            if (q.Before is not null) sql += " AND id < @Before";
            sql += " ORDER BY id DESC LIMIT @Limit";
            var rows = await c.QueryAsync<Row>(sql, new { q.Action, prefix = q.Action + "%", q.Since, q.Until, q.Before, q.Limit });
            return rows.Select(r => new AuditEntry(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.ActorKind, r.ActorId, r.ActorName, r.Action,
                r.Target, r.Detail is null ? null : JsonSerializer.Deserialize<JsonElement>(r.Detail), r.Ip)).ToList();
        }, ct);

    private sealed class Row
    {
        public long Id { get; set; }
        public long At { get; set; }
        public string ActorKind { get; set; } = "";
        public string? ActorId { get; set; }
        public string ActorName { get; set; } = "";
        public string Action { get; set; } = "";
        public string? Target { get; set; }
        public string? Detail { get; set; }
        public string? Ip { get; set; }
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
