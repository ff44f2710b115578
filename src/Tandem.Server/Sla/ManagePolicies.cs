using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Capture;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Server.Hosting;
using Tandem.Server.Lifecycle;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Sla;

/// <summary>/api/v1/sla/policies: sales' promises per stage and segment.</summary>
internal static class ManagePolicies
{
    public sealed record Request(string? Name, string? Stage, SegmentDto? Segment, int? Priority, long? CalendarId,
        DurationDto? FirstTouch, DurationDto? Decision, AttemptsDto? Attempts, List<int>? ReminderPercents, BreachDto? OnBreach, bool? Active);

    private static readonly string[] Grades = ["A", "B", "C", "D"];

    public static async Task<Results<Created<PolicyDto>, ValidationProblem, ProblemHttpResult>> Create(Request request, Database db, ReasonCatalog reasons, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new PolicyRow { CreatedAt = now, UpdatedAt = now };
        var v = Validate(request, row, reasons);
        if (!v.IsValid) return v.ToProblem();
        var problem = await db.WriteAsync<ValidationProblem?>(async (c, tx) =>
        {
            if (await CheckReferencesAsync(c, tx, row, 0) is { } p) return p;
            row.Id = await c.ExecuteScalarAsync<long>(SlaPolicyStore.Insert, row, tx);
            await AuditLog.WriteAsync(c, tx, now, "settings.sla.policy_created", $"policy {row.Id}", request);
            return null;
        }, ct);
        if (problem is not null) return problem;
        return TypedResults.Created($"/api/v1/sla/policies/{row.Id}", row.ToDto());
    }

    public static async Task<Results<Ok<PolicyDto>, ValidationProblem, ProblemHttpResult>> Replace(long id, Request request, Database db, ReasonCatalog reasons, TimeProvider clock, CancellationToken ct)
    {
        var row = new PolicyRow { Id = id, UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        var v = Validate(request, row, reasons);
        if (!v.IsValid) return v.ToProblem();
        var (found, problem) = await db.WriteAsync<(bool, ValidationProblem?)>(async (c, tx) =>
        {
            if (await SlaPolicyStore.FindAsync(c, tx, id) is not { } existing) return (false, null);
            if (await CheckReferencesAsync(c, tx, row, id) is { } p) return (true, p);
            row.CreatedAt = existing.CreatedAt;
            // Running clocks keep the due times promised when they started; the change applies to new assignments.
            await c.ExecuteAsync(SlaPolicyStore.Update, row, tx);
            await AuditLog.WriteAsync(c, tx, row.UpdatedAt, "settings.sla.policy_changed", $"policy {id}", request);
            return (true, null);
        }, ct);
        if (!found) return Problems.NotFound("Policy", id);
        if (problem is not null) return problem;
        return TypedResults.Ok(row.ToDto());
    }

    public static async Task<Ok<IReadOnlyList<PolicyDto>>> List(bool? includeInactive, Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<PolicyDto>>((await db.ReadAsync(c => c.QueryAsync<PolicyRow>(
                "SELECT * FROM sla_policies" + (includeInactive == true ? "" : " WHERE active = 1") + " ORDER BY stage, priority, id"), ct))
            .Select(r => r.ToDto()).ToList());

    public static async Task<Results<Ok<PolicyDto>, ProblemHttpResult>> Get(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync(c => SlaPolicyStore.FindAsync(c, null, id), ct) is { } row ? TypedResults.Ok(row.ToDto()) : Problems.NotFound("Policy", id);

    /// <summary>Retires a policy: it governs no new assignment, while its clocks and breaches stay in the record.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Retire(long id, Database db, TimeProvider clock, CancellationToken ct) =>
        await db.WriteAsync(async (c, tx) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var retired = await c.ExecuteAsync("UPDATE sla_policies SET active = 0, updated_at = @now WHERE id = @id", new { id, now }, tx);
            if (retired > 0) await AuditLog.WriteAsync(c, tx, now, "settings.sla.policy_retired", $"policy {id}");
            return retired;
        }, ct) > 0
            ? TypedResults.NoContent() : Problems.NotFound("Policy", id);

    private static Validation Validate(Request r, PolicyRow row, ReasonCatalog reasons)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(r.Name)) v.Add("name", "A policy name is required, e.g. \"MQL grade A\".");
        else if (r.Name.Trim().Length > 200) v.Add("name", "Must be at most 200 characters.");
        if (!Stages.TryParse(r.Stage, out var stage))
            v.Add("stage", $"A stage the policy applies to is required; use one of: {string.Join(", ", Stages.Names)}.");
        if (r.CalendarId is null) v.Add("calendarId", "The business-hours calendar the clocks run on is required.");
        if (r.Priority is < 0 or > 1_000_000) v.Add("priority", "Must be between 0 and 1000000 (lower wins).");
        if (r.FirstTouch is null && r.Decision is null && r.Attempts is null)
            v.Add("firstTouch", "Give at least one promise: a time to first touch, a time to decide, or a number of attempts (firstTouch, decision, attempts).");
        Duration(v, "firstTouch", r.FirstTouch);
        Duration(v, "decision", r.Decision);
        if (r.Attempts is { } a)
        {
            if (a.Minimum is not (>= 1 and <= 100)) v.Add("attempts.minimum", "Must be between 1 and 100.");
            if (a.Over is null) v.Add("attempts.over", "The period for the attempts is required, e.g. {\"amount\":10,\"unit\":\"days\"}.");
            Duration(v, "attempts.over", a.Over);
            var known = GivingUpCodes(reasons);
            foreach (var (code, i) in (a.GivingUpReasons ?? []).Select((c, i) => (c, i)))
                if (!known.Contains(code?.Trim() ?? "")) v.Add($"attempts.givingUpReasons[{i}]", $"'{code}' is not a reason a lead is given up with; use one of: {string.Join(", ", known.Order())}.");
        }
        var percents = r.ReminderPercents ?? [];
        for (var i = 0; i < percents.Count; i++)
            if (percents[i] is < 1 or > 99) v.Add($"reminderPercents[{i}]", "Must be between 1 and 99 (percent of the clock's business time).");
        var segment = r.Segment ?? new SegmentDto([], [], []);
        foreach (var (g, i) in (segment.Grades ?? []).Select((g, i) => (g, i)))
            if (!Grades.Contains(g?.Trim().ToUpperInvariant())) v.Add($"segment.grades[{i}]", "Must be a fit grade: A, B, C or D.");
        foreach (var (s, i) in (segment.Sources ?? []).Select((s, i) => (s, i)))
            if (string.IsNullOrWhiteSpace(s) || s.Length > 100) v.Add($"segment.sources[{i}]", "Must be a first-touch channel name of 1-100 characters, e.g. Paid Search.");
        if (!v.IsValid) return v;

        row.Name = r.Name!.Trim();
        row.Stage = stage.ToString();
        row.Segment = Json.Write(new SegmentDto(
            (segment.Grades ?? []).Select(g => g.Trim().ToUpperInvariant()).Distinct().ToList(),
            (segment.Sources ?? []).Select(Channels.Fold).Distinct().ToList(),
            (segment.TeamIds ?? []).Distinct().ToList()));
        row.Priority = r.Priority ?? 100;
        row.CalendarId = r.CalendarId!.Value;
        (row.FirstTouchAmount, row.FirstTouchUnit) = (r.FirstTouch?.Amount, r.FirstTouch?.Unit?.Trim().ToLowerInvariant());
        (row.DecisionAmount, row.DecisionUnit) = (r.Decision?.Amount, r.Decision?.Unit?.Trim().ToLowerInvariant());
        (row.AttemptsMinimum, row.AttemptsAmount, row.AttemptsUnit) = (r.Attempts?.Minimum, r.Attempts?.Over?.Amount, r.Attempts?.Over?.Unit?.Trim().ToLowerInvariant());
        row.AttemptsReasons = Json.Write(r.Attempts?.GivingUpReasons is { } given
            ? given.Select(g => g.Trim().ToLowerInvariant()).Distinct().ToList() : AttemptsRule.DefaultGivingUpReasons);
        row.ReminderPercents = Json.Write(percents.Distinct().Order().ToList());
        row.NotifyManager = r.OnBreach?.NotifyManager is false ? 0 : 1;
        row.ReassignOnBreach = r.OnBreach?.Reassign is true ? 1 : 0;
        row.Active = r.Active is false ? 0 : 1;
        return v;
    }

    /// <summary>Every code a lead can be recycled, disqualified or rejected with.</summary>
    public static IReadOnlySet<string> GivingUpCodes(ReasonCatalog reasons)
    {
        var lists = reasons.Current;
        return lists.Stages.For(Stage.Recycled).Concat(lists.Stages.For(Stage.Disqualified)).Concat(lists.Reject.Select(r => r.Code))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static void Duration(Validation v, string field, DurationDto? d)
    {
        if (d is null) return;
        if (d.Amount is not (>= 1 and <= 100_000)) v.Add($"{field}.amount", "Must be a whole number between 1 and 100000.");
        if (!SlaPolicyStore.TryParseUnit(d.Unit, out _)) v.Add($"{field}.unit", $"Must be one of: {string.Join(", ", SlaPolicyStore.Units)} (of business time).");
    }

    private static async Task<ValidationProblem?> CheckReferencesAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, PolicyRow row, long exceptId)
    {
        if (await SlaCalendars.FindAsync(c, tx, row.CalendarId) is null) return Problems.Field("calendarId", $"No calendar has id {row.CalendarId}.");
        foreach (var (teamId, i) in row.SegmentValue.TeamIds!.Select((t, i) => (t, i)))
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE id = @teamId", new { teamId }, tx) == 0)
                return Problems.Field($"segment.teamIds[{i}]", $"No team has id {teamId}.");
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sla_policies WHERE LOWER(name) = LOWER(@Name) AND id <> @exceptId",
                new { row.Name, exceptId }, tx) > 0)
            return Problems.Field("name", $"Another policy is already called '{row.Name}'.");
        return null;
    }
}
