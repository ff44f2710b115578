using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Sla;

/// <param name="Person">Who the clock is about, so an inbox can be drawn from this list alone.</param>
internal sealed record ClockDto(long Id, long PersonId, long PolicyId, string Kind, long OwnerUserId, long? TeamId,
    DateTimeOffset StartedAt, DateTimeOffset DueAt, int Attempts, int? AttemptsRequired, DateTimeOffset? StoppedAt,
    string? StopReason, double? BusinessMinutesToStop, DateTimeOffset? BreachedAt, string State, ClockPersonDto? Person);

internal sealed record ClockPersonDto(string? Email, string? FirstName, string? LastName, string? Company, string Stage);

internal sealed record BreachRecordDto(long Id, long ClockId, long PersonId, long PolicyId, string Kind, long OwnerUserId, long? TeamId,
    long? ManagerUserId, DateTimeOffset DueAt, DateTimeOffset BreachedAt, string Action, long? ReassignedToUserId);

/// <summary>GET /api/v1/sla/clocks and /api/v1/sla/breaches: a rep's inbox by urgency, a person's clocks, the breach log.</summary>
internal static class ListClocks
{
    private static readonly string[] States = ["open", "breached", "stopped", "all"];

    /// <param name="state">open (running, soonest due first — the inbox order), breached, stopped, or all.</param>
    public static async Task<Results<Ok<IReadOnlyList<ClockDto>>, ValidationProblem>> Clocks(
        long? ownerId, long? personId, string? state, int? limit, Database db, CancellationToken ct)
    {
        state = (state ?? "open").Trim().ToLowerInvariant();
        if (!States.Contains(state)) return Problems.Field("state", $"Must be one of: {string.Join(", ", States)}.");
        var take = limit ?? 100;
        if (take is < 1 or > 1000) return Problems.Field("limit", "Must be between 1 and 1000.");
        var where = new List<string>();
        if (ownerId is not null) where.Add("owner_user_id = @ownerId");
        if (personId is not null) where.Add("person_id = @personId");
        where.Add(state switch
        {
            "open" => "stopped_at IS NULL",
            "breached" => "breached_at IS NOT NULL",
            "stopped" => "stopped_at IS NOT NULL",
            _ => "id > 0",
        });
        var order = state == "open" ? "k.due_at, k.id" : "k.started_at DESC, k.id DESC";
        var rows = await db.ReadAsync(c => c.QueryAsync<InboxRow>(
            "SELECT k.*, p.email, p.first_name, p.last_name, p.company, p.stage FROM sla_clocks k JOIN people p ON p.id = k.person_id " +
            $"WHERE {string.Join(" AND ", where.Select(w => "k." + w))} ORDER BY {order} LIMIT @take", new { ownerId, personId, take }), ct);
        return TypedResults.Ok<IReadOnlyList<ClockDto>>(rows.Select(r => ToDto(r) with
        {
            Person = new ClockPersonDto(r.Email, r.FirstName, r.LastName, r.Company, r.Stage),
        }).ToList());
    }

    public static async Task<Results<Ok<IReadOnlyList<BreachRecordDto>>, ValidationProblem>> Breaches(
        DateTimeOffset? from, DateTimeOffset? to, long? ownerId, long? teamId, int? limit, Database db, CancellationToken ct)
    {
        var take = limit ?? 100;
        if (take is < 1 or > 1000) return Problems.Field("limit", "Must be between 1 and 1000.");
        if (from > to) return Problems.Field("to", "Must not be before 'from'.");
        var rows = await db.ReadAsync(c => c.QueryAsync<BreachRow>(
            "SELECT * FROM sla_breaches WHERE breached_at >= @f AND breached_at < @t" +
            (ownerId is null ? "" : " AND owner_user_id = @ownerId") + (teamId is null ? "" : " AND team_id = @teamId") +
            " ORDER BY breached_at DESC, id DESC LIMIT @take",
            new { f = from?.ToUnixTimeMilliseconds() ?? 0, t = to?.ToUnixTimeMilliseconds() ?? long.MaxValue, ownerId, teamId, take }), ct);
        return TypedResults.Ok<IReadOnlyList<BreachRecordDto>>(rows.Select(b => new BreachRecordDto(b.Id, b.ClockId, b.PersonId, b.PolicyId, b.Kind,
            b.OwnerUserId, b.TeamId, b.ManagerUserId, At(b.DueAt), At(b.BreachedAt), b.Action, b.ReassignedToUserId)).ToList());
    }

    public static ClockDto ToDto(ClockRow k) => new(k.Id, k.PersonId, k.PolicyId, k.Kind, k.OwnerUserId, k.TeamId, At(k.StartedAt), At(k.DueAt),
        (int)k.Attempts, (int?)k.AttemptsRequired, k.StoppedAt is { } s ? At(s) : null, k.StopReason,
        k.BusinessMs is { } ms ? Math.Round(ms / 60_000.0, 2) : null, k.BreachedAt is { } b ? At(b) : null,
        State(k), null);

    /// <summary>running, overdue (breached, still open), met, breached (stopped after a breach), or ended (closed or reassigned before its due time).</summary>
    private static string State(ClockRow k) => (k.StoppedAt, k.BreachedAt, k.StopReason) switch
    {
        (null, null, _) => "running",
        (null, _, _) => "overdue",
        (_, not null, _) => "breached",
        (_, _, "closed" or "reassigned" or "merged") => "ended",
        _ => "met",
    };

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed class InboxRow : ClockRow
    {
        public string? Email { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Company { get; set; }
        public string Stage { get; set; } = "";
    }

    private sealed class BreachRow
    {
        public long Id { get; set; }
        public long ClockId { get; set; }
        public long PersonId { get; set; }
        public long PolicyId { get; set; }
        public string Kind { get; set; } = "";
        public long OwnerUserId { get; set; }
        public long? TeamId { get; set; }
        public long? ManagerUserId { get; set; }
        public long DueAt { get; set; }
        public long BreachedAt { get; set; }
        public string Action { get; set; } = "";
        public long? ReassignedToUserId { get; set; }
    }
}
