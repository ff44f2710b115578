using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Sla;

/// <summary>/api/v1/sla/calendars: create, list, read, replace and delete business-hours calendars.</summary>
internal static class ManageCalendars
{
    public static async Task<Results<Created<CalendarDto>, ValidationProblem, ProblemHttpResult>> Create(
        SlaCalendars.Request request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new CalendarRow { CreatedAt = now, UpdatedAt = now };
        var v = SlaCalendars.Validate(request, row);
        if (!v.IsValid) return v.ToProblem();
        var created = await db.WriteAsync(async (c, tx) =>
        {
            if (await SlaCalendars.NameTakenAsync(c, tx, row.Name, 0)) return false;
            row.Id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO sla_calendars (name, time_zone, weekly_hours, holidays, created_at, updated_at) " +
                "VALUES (@Name, @TimeZone, @WeeklyHours, @Holidays, @CreatedAt, @UpdatedAt) RETURNING id", row, tx);
            await AuditLog.WriteAsync(c, tx, now, "settings.sla.calendar_created", $"calendar {row.Id}", request);
            return true;
        }, ct);
        if (!created) return Problems.Conflict("A calendar with that name exists.", $"Another calendar is already called '{row.Name}'.");
        return TypedResults.Created($"/api/v1/sla/calendars/{row.Id}", row.ToDto());
    }

    public static async Task<Results<Ok<CalendarDto>, ValidationProblem, ProblemHttpResult>> Replace(
        long id, SlaCalendars.Request request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var row = new CalendarRow { Id = id, UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        var v = SlaCalendars.Validate(request, row);
        if (!v.IsValid) return v.ToProblem();
        var outcome = await db.WriteAsync<CalendarRow?>(async (c, tx) =>
        {
            var existing = await SlaCalendars.FindAsync(c, tx, id);
            if (existing is null) return null;
            if (await SlaCalendars.NameTakenAsync(c, tx, row.Name, id)) return existing;
            // Clocks already running keep their due times; the new hours apply to clocks started from now on.
            await c.ExecuteAsync("UPDATE sla_calendars SET name = @Name, time_zone = @TimeZone, weekly_hours = @WeeklyHours, " +
                                 "holidays = @Holidays, updated_at = @UpdatedAt WHERE id = @Id", row, tx);
            row.CreatedAt = existing.CreatedAt;
            await AuditLog.WriteAsync(c, tx, row.UpdatedAt, "settings.sla.calendar_changed", $"calendar {id}", request);
            return row;
        }, ct);
        if (outcome is null) return Problems.NotFound("Calendar", id);
        if (!ReferenceEquals(outcome, row)) return Problems.Conflict("A calendar with that name exists.", $"Another calendar is already called '{row.Name}'.");
        return TypedResults.Ok(row.ToDto());
    }

    public static async Task<Ok<IReadOnlyList<CalendarDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<CalendarDto>>((await db.ReadAsync(c => c.QueryAsync<CalendarRow>("SELECT * FROM sla_calendars ORDER BY id"), ct))
            .Select(r => r.ToDto()).ToList());

    public static async Task<Results<Ok<CalendarDto>, ProblemHttpResult>> Get(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync(c => SlaCalendars.FindAsync(c, null, id), ct) is { } row ? TypedResults.Ok(row.ToDto()) : Problems.NotFound("Calendar", id);

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, Database db, CancellationToken ct)
    {
        var outcome = await db.WriteAsync<int>(async (c, tx) =>
        {
            if (await SlaCalendars.FindAsync(c, tx, id) is null) return 404;
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_policies WHERE calendar_id = @id", new { id }, tx) > 0) return 409;
            await c.ExecuteAsync("DELETE FROM sla_calendars WHERE id = @id", new { id }, tx);
            await AuditLog.WriteAsync(c, tx, "settings.sla.calendar_deleted", $"calendar {id}");
            return 204;
        }, ct);
        return outcome switch
        {
            404 => Problems.NotFound("Calendar", id),
            409 => Problems.Conflict("The calendar is in use.", "SLA policies use this calendar; point them at another calendar first."),
            _ => TypedResults.NoContent(),
        };
    }
}
