using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

/// <summary>/api/v1/tasks: the calls and follow-ups programs create for owners ("call Sam: clicked pricing twice").</summary>
internal static class Tasks
{
    public sealed record TaskDto(long Id, long PersonId, string? PersonName, long? OwnerId, string Title, DateTimeOffset? DueAt, string CreatedFrom,
        DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? CompletedBy);

    private sealed class Row
    {
        public long Id { get; set; }
        public long PersonId { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public long? OwnerId { get; set; }
        public string Title { get; set; } = "";
        public long? DueAt { get; set; }
        public string CreatedFrom { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? CompletedAt { get; set; }
        public string? CompletedBy { get; set; }

        public TaskDto Dto() => new(Id, PersonId, string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } n ? n : Email,
            OwnerId, Title, DueAt is { } d ? At(d) : null, CreatedFrom, At(CreatedAt), CompletedAt is { } c ? At(c) : null, CompletedBy);
    }

    private const string Select =
        "SELECT t.id, t.person_id, p.first_name, p.last_name, p.email, t.owner_id, t.title, t.due_at, t.created_from, t.created_at, t.completed_at, t.completed_by " +
        "FROM tasks t JOIN people p ON p.id = t.person_id";

    /// <param name="owner">A user id, or none for tasks nobody owns.</param>
    public static async Task<Results<Ok<IReadOnlyList<TaskDto>>, ValidationProblem>> List(string? owner, bool? open, long? personId, Database db, CancellationToken ct)
    {
        var where = new List<string>();
        long? ownerId = null;
        if (owner is { Length: > 0 })
        {
            if (owner.Equals("none", StringComparison.OrdinalIgnoreCase)) where.Add("t.owner_id IS NULL");
            else if (long.TryParse(owner, out var id)) { where.Add("t.owner_id = @ownerId"); ownerId = id; }
            else return Problems.Field("owner", "A user id, or none.");
        }
        if (open == true) where.Add("t.completed_at IS NULL");
        else if (open == false) where.Add("t.completed_at IS NOT NULL");
        if (personId is not null) where.Add("t.person_id = @personId");
        var sql = Select + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY t.completed_at IS NOT NULL, t.due_at, t.id LIMIT 500";
        var rows = await db.ReadAsync(c => c.QueryAsync<Row>(sql, new { ownerId, personId }), ct);
        return TypedResults.Ok<IReadOnlyList<TaskDto>>(rows.Select(r => r.Dto()).ToList());
    }

    public static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> Complete(long id, HttpContext http, Database db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var by = Actors.Of(http.User).Name;
        return await db.WriteAsync<Results<Ok<TaskDto>, ProblemHttpResult>>(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<Row>(Select + " WHERE t.id = @id", new { id }, tx);
            if (row is null) return Problems.NotFound("Task", id);
            if (row.CompletedAt is not null) return Problems.Conflict("The task is already done.", $"Completed by {row.CompletedBy}.");
            await c.ExecuteAsync("UPDATE tasks SET completed_at = @now, completed_by = @by WHERE id = @id AND completed_at IS NULL", new { now, by, id }, tx);
            row.CompletedAt = now;
            row.CompletedBy = by;
            return TypedResults.Ok(row.Dto());
        }, ct);
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
