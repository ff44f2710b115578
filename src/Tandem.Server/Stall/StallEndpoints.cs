using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Stall;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Stall;

/// <summary>/api/v1/stalls: the stalled leads (filtered), one stall, a sweep now, and bulk actions.</summary>
internal static class StallEndpoints
{
    public sealed record ActionDto(string Action, string Outcome);

    public sealed record StallDto(long Id, long PersonId, string? PersonName, string? Email, string? Company, string CurrentStage, string RuleKey, string RuleName,
        long? RulesVersion, string Kind, string Stage, DateTimeOffset StalledSince, DateTimeOffset DetectedAt, double AgeDays, long? OwnerId, string? OwnerName,
        long? TeamId, string? TeamName, string? Source, string Story, string State, bool AwaitingRevival, IReadOnlyList<ActionDto> Actions, long? NewOwnerId,
        long? ProgramId, long? EnrollmentId, DateTimeOffset? RevivedAt, string? RevivalKind, string? RevivalCause, long? RevivedOwnerId,
        DateTimeOffset? ClosedAt, string? CloseReason);

    public sealed record SweepDto(bool Full, int Examined, int Stalled, int Closed, int Acted, int ProgramsEnded);

    public sealed record BulkRequest(IReadOnlyList<long>? Ids, string? Action, long? ProgramId, string? Reason);

    public sealed record BulkDto(string Action, int Done);

    /// <summary>The filters the list and the stalled-leads page share.</summary>
    public sealed record Filter(string? State, string? Stage, long? OwnerId, long? TeamId, string? Rule, int? MinAgeDays, int Limit);

    internal sealed class Row
    {
        public long Id { get; set; }
        public long PersonId { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public string? Company { get; set; }
        public string CurrentStage { get; set; } = "";
        public string? TeamName { get; set; }
        public string? CurrentOwnerName { get; set; }
        public StallRecordRow Record { get; set; } = new();
    }

    public static async Task<Results<Ok<IReadOnlyList<StallDto>>, ValidationProblem>> List(string? state, string? stage, long? ownerId, long? teamId, string? rule,
        int? minAgeDays, int? limit, Database db, TimeProvider clock, CancellationToken ct)
    {
        if (state is not null && state != "live" && !StallState.All.Contains(state))
            return Problems.Field("state", $"One of: live, {string.Join(", ", StallState.All)}.");
        if (stage is not null && !Stages.TryParse(stage, out _)) return Problems.Field("stage", $"One of: {string.Join(", ", Stages.Names)}.");
        if (minAgeDays is < 0) return Problems.Field("minAgeDays", "Zero or more days.");
        if (limit is < 1 or > 1000) return Problems.Field("limit", "1 to 1000.");
        var filter = new Filter(state ?? "live", stage, ownerId, teamId, rule, minAgeDays, limit ?? 200);
        return TypedResults.Ok(await db.ReadAsync(c => QueryAsync(c, filter, clock.GetUtcNow()), ct));
    }

    public static async Task<IReadOnlyList<StallDto>> QueryAsync(System.Data.Common.DbConnection c, Filter f, DateTimeOffset now)
    {
        var where = new List<string>();
        if (f.State == "live") where.Add("r.state IN ('open', 'acted')");
        else if (f.State is not null) where.Add("r.state = @State");
        if (f.Stage is not null && Stages.TryParse(f.Stage, out var stage)) where.Add($"p.stage = '{stage}'");
        if (f.OwnerId is not null) where.Add("(r.owner_id = @OwnerId OR p.owner_id = @OwnerId)");
        if (f.TeamId is not null) where.Add("COALESCE(p.owner_team_id, r.team_id) = @TeamId");
        if (!string.IsNullOrWhiteSpace(f.Rule)) where.Add("r.rule_key = @Rule");
        var nowMs = now.ToUnixTimeMilliseconds();
        if (f.MinAgeDays is { } days) where.Add("r.stalled_since <= @cutoff");
        var sql = "SELECT r.id, r.person_id, p.first_name, p.last_name, p.email, p.company, p.stage AS current_stage, t.name AS team_name, " +
                  "u.name AS current_owner_name, r.* FROM stall_records r JOIN people p ON p.id = r.person_id " +
                  "LEFT JOIN teams t ON t.id = COALESCE(p.owner_team_id, r.team_id) LEFT JOIN users u ON u.id = p.owner_id" +
                  (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY r.stalled_since, r.id LIMIT @Limit";
        var rows = await c.QueryAsync<Row, StallRecordRow, Row>(sql, (row, record) => { row.Record = record; return row; },
            new { f.State, f.OwnerId, f.TeamId, f.Rule, f.Limit, cutoff = nowMs - (f.MinAgeDays ?? 0) * 86_400_000L }, splitOn: "id");
        return rows.Select(r => Dto(r, now)).ToList();
    }

    public static StallDto Dto(Row row, DateTimeOffset now)
    {
        var r = row.Record;
        var name = string.Join(' ', new[] { row.FirstName, row.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
        return new StallDto(r.Id, r.PersonId, name.Length > 0 ? name : null, row.Email, row.Company, row.CurrentStage, r.RuleKey, r.RuleName, r.RulesVersion,
            r.Kind, r.Stage, At(r.StalledSince)!.Value, At(r.DetectedAt)!.Value, Math.Round((now.ToUnixTimeMilliseconds() - r.StalledSince) / 86_400_000d, 1),
            r.OwnerId, r.OwnerName ?? row.CurrentOwnerName, r.TeamId, row.TeamName, r.Source, r.Story, r.State, r.AwaitingRevival != 0,
            Json.Read(r.ActionsLog, new List<ActionDto>()), r.NewOwnerId, r.ProgramId, r.EnrollmentId, At(r.RevivedAt), r.RevivalKind, r.RevivalCause,
            r.RevivedOwnerId, At(r.ClosedAt), r.CloseReason);
    }

    public static async Task<Results<Ok<StallDto>, ProblemHttpResult>> Get(long id, Database db, TimeProvider clock, CancellationToken ct)
    {
        var dto = await db.ReadAsync(async c =>
        {
            var rows = await c.QueryAsync<Row, StallRecordRow, Row>(
                "SELECT r.id, r.person_id, p.first_name, p.last_name, p.email, p.company, p.stage AS current_stage, t.name AS team_name, " +
                "u.name AS current_owner_name, r.* FROM stall_records r JOIN people p ON p.id = r.person_id " +
                "LEFT JOIN teams t ON t.id = COALESCE(p.owner_team_id, r.team_id) LEFT JOIN users u ON u.id = p.owner_id WHERE r.id = @id",
                (row, record) => { row.Record = record; return row; }, new { id }, splitOn: "id");
            return rows.Select(r => Dto(r, clock.GetUtcNow())).FirstOrDefault();
        }, ct);
        return dto is null ? Problems.NotFound("Stall", id) : TypedResults.Ok(dto);
    }

    public static async Task<Ok<SweepDto>> Sweep(StallTicker ticker, CancellationToken ct)
    {
        var r = await ticker.TickAsync(ct);
        return TypedResults.Ok(new SweepDto(r.Sweep.Full, r.Sweep.Examined, r.Sweep.Stalled, r.Sweep.Closed, r.Acted, r.ProgramsEnded));
    }

    /// <summary>Bulk actions: one of the rule actions (remindOwner, notifyManager, reassign, enrollRevival, createTask, recycle), or close.</summary>
    public static async Task<Results<Ok<BulkDto>, ValidationProblem>> Bulk(BulkRequest request, HttpContext http, StallActions actions, Database db,
        CancellationToken ct)
    {
        if (request.Ids is not { Count: > 0 and <= 500 }) return Problems.Field("ids", "The stall ids to act on: 1 to 500 of them.");
        var by = Actors.Of(http.User);
        if (request.Action == "close")
            return TypedResults.Ok(new BulkDto("close", await actions.CloseAsync(request.Ids, $"closed by {by.Name}" +
                (string.IsNullOrWhiteSpace(request.Reason) ? "" : $": {request.Reason.Trim()}"), ct)));
        if (request.Action is null || !StallRuleParser.ActionNames.TryGetValue(request.Action, out var action))
            return Problems.Field("action", $"One of: close, {string.Join(", ", StallRuleParser.ActionNames.Keys)}.");
        if (action == StallAction.EnrollRevival)
        {
            if (request.ProgramId is not { } programId) return Problems.Field("programId", "enrollRevival needs the program to enroll in.");
            if (!await db.ReadAsync(async c => await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nurture_programs WHERE id = @programId AND status = 'active'",
                    new { programId }) > 0, ct))
                return Problems.Field("programId", $"There is no running program {programId}.");
        }
        return TypedResults.Ok(new BulkDto(request.Action, await actions.RunAsync(request.Ids, action, request.ProgramId, by, ct)));
    }

}
