using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Routing;
using Tandem.Server.Audit;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>The ordered routing rules: list, create, replace, delete. First match wins, by position then id.</summary>
internal static class RuleEndpoints
{
    public sealed record ConditionInput(string? Field, string? Operator, List<string>? Values, string? Value);

    public sealed record RuleInput(string? Name, int? Position, List<ConditionInput>? Conditions, long? TeamId, string? Method,
        bool? RespectWorkingHours, bool? Active);

    public sealed record ConditionDto(string Field, string Operator, IReadOnlyList<string> Values);

    public sealed record RuleDto(long Id, int Position, string Name, IReadOnlyList<ConditionDto> Conditions, long TeamId, string Method,
        bool RespectWorkingHours, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    private static readonly Dictionary<string, ConditionOperator> Operators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["equals"] = ConditionOperator.Equals, ["notEquals"] = ConditionOperator.NotEquals, ["in"] = ConditionOperator.In,
        ["notIn"] = ConditionOperator.NotIn, ["contains"] = ConditionOperator.Contains, ["startsWith"] = ConditionOperator.StartsWith,
        ["exists"] = ConditionOperator.Exists, ["notExists"] = ConditionOperator.NotExists,
        ["gte"] = ConditionOperator.GreaterOrEqual, ["lte"] = ConditionOperator.LessOrEqual,
    };

    private static readonly Dictionary<string, DistributionMethod> Methods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["roundRobin"] = DistributionMethod.RoundRobin, ["weightedRoundRobin"] = DistributionMethod.WeightedRoundRobin,
        ["leastLoaded"] = DistributionMethod.LeastLoaded, ["accountOwner"] = DistributionMethod.AccountOwner,
    };

    public static string OperatorName(ConditionOperator op) => Operators.First(o => o.Value == op).Key;
    public static string MethodName(DistributionMethod m) => Methods.First(o => o.Value == m).Key;

    public static RuleDto ToDto(RuleRow r)
    {
        var rule = r.ToRule();
        return new RuleDto(r.Id, rule.Position, r.Name, rule.Conditions.Select(c => new ConditionDto(c.Field, OperatorName(c.Operator), c.Values)).ToList(),
            r.TeamId, MethodName(rule.Method), rule.RespectWorkingHours, r.Active != 0,
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt));
    }

    public static async Task<Ok<IReadOnlyList<RuleDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<RuleDto>>((await db.ReadAsync(c => RuleStore.ListAsync(c, null, activeOnly: false), ct)).Select(ToDto).ToList());

    public static async Task<Results<Created<RuleDto>, ValidationProblem>> Create(RuleInput input, Database db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new RuleRow { CreatedAt = now, UpdatedAt = now };
        var result = await db.WriteAsync<(RuleRow? Row, ValidationProblem? Problem)>(async (c, tx) =>
        {
            if (await ValidateIntoAsync(c, tx, input, row) is { } problem) return (null, problem);
            if (input.Position is null) row.Position = await NextPositionAsync(c, tx, row);
            row.Id = await RuleStore.InsertAsync(c, tx, row);
            await AuditLog.WriteAsync(c, tx, now, "settings.routing.rule_created", $"rule {row.Id}", input);
            return (row, null);
        }, ct);
        if (result.Problem is { } p) return p;
        return TypedResults.Created($"/api/v1/routing/rules/{row.Id}", ToDto(result.Row!));
    }

    /// <summary>
    /// Where a rule added without a position goes: last — except that a rule with conditions goes before a catch-all
    /// at the end (a rule without conditions matches every lead, so nothing after it could ever match).
    /// </summary>
    private static async Task<long> NextPositionAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, RuleRow row)
    {
        var rules = await RuleStore.ListAsync(c, tx, activeOnly: false);
        if (rules.Count == 0) return 10;
        var lastPosition = rules[^1].Position;
        var trailing = rules.Where(r => r.Position == lastPosition).ToList();
        if (row.Conditions == "[]" || trailing.Any(r => r.Conditions != "[]")) return lastPosition + 10;
        await c.ExecuteAsync("UPDATE routing_rules SET position = position + 10 WHERE position = @lastPosition", new { lastPosition }, tx);
        return lastPosition;
    }

    public static async Task<Results<Ok<RuleDto>, ValidationProblem, ProblemHttpResult>> Replace(long id, RuleInput input, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var result = await db.WriteAsync<(RuleRow? Row, ValidationProblem? Problem)>(async (c, tx) =>
        {
            var row = await RuleStore.FindAsync(c, tx, id);
            if (row is null) return (null, null);
            if (await ValidateIntoAsync(c, tx, input, row) is { } problem) return (row, problem);
            row.UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await RuleStore.UpdateAsync(c, tx, row);
            await AuditLog.WriteAsync(c, tx, row.UpdatedAt, "settings.routing.rule_changed", $"rule {id}", input);
            return (row, null);
        }, ct);
        if (result.Row is null) return Problems.NotFound("Routing rule", id);
        if (result.Problem is { } p) return p;
        return TypedResults.Ok(ToDto(result.Row));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, Database db, CancellationToken ct) =>
        await db.WriteAsync(async (c, tx) =>
        {
            var deleted = await c.ExecuteAsync("DELETE FROM routing_rules WHERE id = @id", new { id }, tx);
            if (deleted > 0) await AuditLog.WriteAsync(c, tx, "settings.routing.rule_deleted", $"rule {id}");
            return deleted;
        }, ct) > 0
            ? TypedResults.NoContent()
            : Problems.NotFound("Routing rule", id);

    private static async Task<ValidationProblem?> ValidateIntoAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx,
        RuleInput input, RuleRow row)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(input.Name)) v.Add("name", "A rule name is required, e.g. 'EMEA enterprise'.");
        else if (input.Name.Length > 200) v.Add("name", "Must be at most 200 characters.");
        if (input.TeamId is not { } teamId) v.Add("teamId", "The team that receives matching leads is required.");
        else if (await TeamStore.FindAsync(c, tx, teamId) is null) v.Add("teamId", $"No team has id {teamId}.");
        var method = DistributionMethod.RoundRobin;
        if (input.Method is { } m && !Methods.TryGetValue(m.Trim(), out method))
            v.Add("method", $"'{m}' is not a distribution method; use {string.Join(", ", Methods.Keys)}.");
        var conditions = new List<Condition>();
        for (var i = 0; i < (input.Conditions?.Count ?? 0); i++)
        {
            var ci = input.Conditions![i];
            if (ci is null) { v.Add($"conditions[{i}]", "Must be an object with field, operator and values."); continue; }
            if (string.IsNullOrWhiteSpace(ci.Field)) { v.Add($"conditions[{i}].field", "A field is required."); continue; }
            if (ci.Operator is null || !Operators.TryGetValue(ci.Operator.Trim(), out var op))
            {
                v.Add($"conditions[{i}].operator", $"Use one of {string.Join(", ", Operators.Keys)}.");
                continue;
            }
            var values = ci.Values ?? (ci.Value is null ? [] : [ci.Value]);
            var condition = new Condition(ci.Field.Trim(), op, values.Select(x => x?.Trim() ?? "").ToList());
            if (condition.Problem() is { } problem) v.Add($"conditions[{i}]", problem);
            else conditions.Add(condition);
        }
        if (!v.IsValid) return v.ToProblem();
        row.Name = input.Name!.Trim();
        if (input.Position is { } pos) row.Position = pos;
        row.Conditions = Json.Write(conditions);
        row.TeamId = input.TeamId!.Value;
        row.Method = method.ToString();
        row.RespectWorkingHours = input.RespectWorkingHours == true ? 1 : 0;
        row.Active = input.Active == false ? 0 : 1;
        return null;
    }
}
