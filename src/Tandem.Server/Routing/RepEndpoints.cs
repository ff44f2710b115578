using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Routing;
using Tandem.Server.Audit;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Routing;

/// <summary>What routing knows about each rep: active, time zone, working hours, time off, capacity, daily quota and weight.</summary>
internal static class RepEndpoints
{
    public sealed record RepInput(bool? Active, string? TimeZone, Dictionary<string, string[]>? WorkingHours, int? Capacity, int? DailyQuota, int? Weight);

    public sealed record TimeOffInput(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Note);

    public sealed record TimeOffDto(long Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Note);

    public sealed record RepDto(long UserId, string Name, string Email, string Role, bool Active, string TimeZone,
        IReadOnlyDictionary<string, string[]>? WorkingHours, int? Capacity, int OpenLeads, int? DailyQuota, int AssignedToday, int Weight,
        IReadOnlyList<TimeOffDto> TimeOff, string? UnavailableBecause);

    public static async Task<Ok<IReadOnlyList<RepDto>>> List(Database db, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await db.ReadAsync(async c =>
        {
            var ids = (await c.QueryAsync<long>(
                "SELECT id FROM users WHERE role IN ('sales_rep', 'sales_manager') OR id IN (SELECT user_id FROM team_members) ORDER BY id")).ToList();
            var list = new List<RepDto>();
            foreach (var id in ids) list.Add((await DtoAsync(c, id, clock.GetUtcNow()))!);
            return (IReadOnlyList<RepDto>)list;
        }, ct));

    /// <summary>PUT: a field left out of the request keeps its value.</summary>
    public static Task<Results<Ok<RepDto>, ValidationProblem, ProblemHttpResult>> Update(long userId, RepInput input, Database db, TimeProvider clock,
        CancellationToken ct) => SaveAsync(userId, input, limitsGiven: false, db, clock, ct);

    /// <summary>The settings form sends every field: a capacity or daily quota left empty (null) means no limit.</summary>
    public static Task<Results<Ok<RepDto>, ValidationProblem, ProblemHttpResult>> ReplaceSettings(long userId, RepInput input, Database db,
        TimeProvider clock, CancellationToken ct) => SaveAsync(userId, input, limitsGiven: true, db, clock, ct);

    private static async Task<Results<Ok<RepDto>, ValidationProblem, ProblemHttpResult>> SaveAsync(long userId, RepInput input, bool limitsGiven,
        Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (input.TimeZone is { } tz && !Zones.TryFind(tz, out _)) v.Add("timeZone", $"'{tz}' is not a known IANA time zone, e.g. Europe/Berlin.");
        string? hoursJson = null;
        if (input.WorkingHours is { Count: > 0 } spec)
        {
            if (!WorkingHours.TryParse(spec, out var hours, out var error)) v.Add("workingHours", error!);
            else hoursJson = Json.Write(hours.ToSpec());
        }
        if (input.Capacity is < 0) v.Add("capacity", "Cannot be negative.");
        if (input.DailyQuota is < 0) v.Add("dailyQuota", "Cannot be negative.");
        if (input.Weight is < 1 or > 100) v.Add("weight", "Must be between 1 and 100.");
        if (!v.IsValid) return v.ToProblem();

        var now = clock.GetUtcNow();
        var dto = await db.WriteAsync(async (c, tx) =>
        {
            if (await UserStore.FindAsync(c, tx, userId) is null) return null;
            if (input.Active is { } active)
                await c.ExecuteAsync("UPDATE users SET active = @a, updated_at = @now WHERE id = @userId",
                    new { a = active ? 1 : 0, now = now.ToUnixTimeMilliseconds(), userId }, tx);
            // A field left out of the request keeps its value; working hours {} (empty) means "any time".
            await c.ExecuteAsync(
                "INSERT INTO rep_profiles (user_id, time_zone, working_hours, capacity, daily_quota, weight, updated_at) " +
                "VALUES (@userId, COALESCE(@TimeZone, 'UTC'), @hoursJson, @Capacity, @DailyQuota, COALESCE(@Weight, 1), @now) " +
                "ON CONFLICT (user_id) DO UPDATE SET time_zone = COALESCE(@TimeZone, rep_profiles.time_zone), " +
                "working_hours = CASE WHEN @hoursGiven = 1 THEN @hoursJson ELSE rep_profiles.working_hours END, " +
                "capacity = CASE WHEN @capacityGiven = 1 THEN @Capacity ELSE rep_profiles.capacity END, " +
                "daily_quota = CASE WHEN @quotaGiven = 1 THEN @DailyQuota ELSE rep_profiles.daily_quota END, " +
                "weight = COALESCE(@Weight, rep_profiles.weight), updated_at = @now",
                new
                {
                    userId, TimeZone = input.TimeZone?.Trim(), hoursJson, input.Capacity, input.DailyQuota, input.Weight,
                    now = now.ToUnixTimeMilliseconds(), hoursGiven = input.WorkingHours is null ? 0 : 1,
                    capacityGiven = limitsGiven || input.Capacity is not null ? 1 : 0, quotaGiven = limitsGiven || input.DailyQuota is not null ? 1 : 0,
                }, tx);
            await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), "settings.routing.rep_changed", $"user {userId}", input);
            return await DtoAsync(c, userId, now, tx);
        }, ct);
        return dto is null ? Problems.NotFound("User", userId) : TypedResults.Ok(dto);
    }

    public static async Task<Results<Created<TimeOffDto>, ValidationProblem, ProblemHttpResult>> AddTimeOff(long userId, TimeOffInput input, Database db,
        TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (input.StartsAt is null) v.Add("startsAt", "When the time off starts is required.");
        if (input.EndsAt is null) v.Add("endsAt", "When the time off ends is required.");
        else if (input.StartsAt is { } s && input.EndsAt <= s) v.Add("endsAt", "The time off must end after it starts (endsAt after startsAt).");
        if (input.Note is { Length: > 500 }) v.Add("note", "Must be at most 500 characters.");
        if (!v.IsValid) return v.ToProblem();
        var (from, until) = (input.StartsAt!.Value.ToUnixTimeMilliseconds(), input.EndsAt!.Value.ToUnixTimeMilliseconds());
        var id = await db.WriteAsync(async (c, tx) =>
        {
            if (await UserStore.FindAsync(c, tx, userId) is null) return (long?)null;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var added = await c.ExecuteScalarAsync<long>(
                "INSERT INTO rep_time_off (user_id, starts_at, ends_at, note, created_at) VALUES (@userId, @from, @until, @Note, @now) RETURNING id",
                new { userId, from, until, input.Note, now }, tx);
            await AuditLog.WriteAsync(c, tx, now, "settings.routing.time_off_added", $"user {userId}", input);
            return (long?)added;
        }, ct);
        if (id is null) return Problems.NotFound("User", userId);
        return TypedResults.Created($"/api/v1/routing/reps/{userId}/time-off/{id}",
            new TimeOffDto(id.Value, input.StartsAt.Value, input.EndsAt.Value, input.Note));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveTimeOff(long userId, long id, Database db, CancellationToken ct) =>
        await db.WriteAsync(async (c, tx) =>
        {
            var deleted = await c.ExecuteAsync("DELETE FROM rep_time_off WHERE id = @id AND user_id = @userId", new { id, userId }, tx);
            if (deleted > 0) await AuditLog.WriteAsync(c, tx, "settings.routing.time_off_removed", $"user {userId}", new { timeOff = id });
            return deleted;
        }, ct) > 0
            ? TypedResults.NoContent()
            : Problems.NotFound("Time off", id);

    private static async Task<RepDto?> DtoAsync(System.Data.Common.DbConnection c, long userId, DateTimeOffset now, System.Data.Common.DbTransaction? tx = null)
    {
        var user = await UserStore.FindAsync(c, tx, userId);
        if (user is null) return null;
        var rep = (await RepStore.LoadAsync(c, tx, [userId], now)).Single();
        var profile = await c.QuerySingleOrDefaultAsync<(string TimeZone, string? WorkingHours)?>(
            "SELECT time_zone, working_hours FROM rep_profiles WHERE user_id = @userId", new { userId }, tx);
        var timeOff = (await c.QueryAsync<(long Id, long StartsAt, long EndsAt, string? Note)>(
                "SELECT id, starts_at, ends_at, note FROM rep_time_off WHERE user_id = @userId AND ends_at > @now ORDER BY starts_at",
                new { userId, now = now.ToUnixTimeMilliseconds() }, tx))
            .Select(t => new TimeOffDto(t.Id, DateTimeOffset.FromUnixTimeMilliseconds(t.StartsAt), DateTimeOffset.FromUnixTimeMilliseconds(t.EndsAt), t.Note))
            .ToList();
        return new RepDto(userId, user.Name, user.Email, user.Role, rep.Active, profile?.TimeZone ?? "UTC",
            rep.Hours.IsAlways ? null : rep.Hours.ToSpec(), rep.Capacity, rep.OpenLeads, rep.DailyQuota, rep.AssignedToday, rep.Weight, timeOff,
            Eligibility.WhyNot(rep, now, respectWorkingHours: true));
    }
}
