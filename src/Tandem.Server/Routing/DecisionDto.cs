using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Routing;
using Tandem.Server.Lifecycle;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>A stored routing decision: the answer to "why did I get this lead".</summary>
internal sealed record DecisionDto(long Id, long PersonId, DateTimeOffset DecidedAt, string Trigger, string Outcome, long? RuleId, string? RuleName,
    long? TeamId, string? TeamName, string? Method, long? UserId, string? UserName, long? PreviousUserId, string Explanation,
    IReadOnlyList<SkippedRep> Skipped, StageActorDto By);

internal static class Decisions
{
    private const string Select =
        "SELECT d.*, t.name AS team_name, u.name AS user_name FROM routing_decisions d " +
        "LEFT JOIN teams t ON t.id = d.team_id LEFT JOIN users u ON u.id = d.user_id ";

    public static async Task<IReadOnlyList<DecisionDto>> ForPersonAsync(DbConnection c, DbTransaction? tx, long personId) =>
        (await c.QueryAsync<Row>(Select + "WHERE d.person_id = @personId ORDER BY d.id DESC", new { personId }, tx)).Select(r => r.ToDto()).ToList();

    /// <summary>Stores a decision, whoever made it; an assignment or a place in the queue follows in the same transaction.</summary>
    public static Task<long> InsertAsync(DbConnection c, DbTransaction tx, long personId, long? previousUserId, long at, string trigger,
        RoutingOutcome outcome, RoutingRule? rule, long? teamId, long? userId, string explanation, IReadOnlyList<SkippedRep> skipped, Actor actor) =>
        c.ExecuteScalarAsync<long>(
            "INSERT INTO routing_decisions (person_id, decided_at, trigger_kind, outcome, rule_id, rule_name, team_id, method, user_id, " +
            "previous_user_id, explanation, details, actor_type, actor_id, actor_name) VALUES (@personId, @at, @trigger, @Outcome, @RuleId, " +
            "@RuleName, @teamId, @Method, @userId, @previousUserId, @explanation, @Details, @ActorType, @ActorId, @ActorName) RETURNING id",
            new
            {
                personId, at, trigger, Outcome = outcome.ToString(), RuleId = rule is { Id: > 0 } r ? r.Id : (long?)null, RuleName = rule?.Name,
                teamId, Method = rule?.Method.ToString(), userId, previousUserId, explanation, Details = Json.Write(new { skipped }),
                ActorType = actor.Type.ToString(), ActorId = actor.Id, ActorName = actor.Name,
            }, tx);

    public static async Task<DecisionDto?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        (await c.QuerySingleOrDefaultAsync<Row>(Select + "WHERE d.id = @id", new { id }, tx))?.ToDto();

    private sealed class Row
    {
        public long Id { get; set; }
        public long PersonId { get; set; }
        public long DecidedAt { get; set; }
        public string TriggerKind { get; set; } = "";
        public string Outcome { get; set; } = "";
        public long? RuleId { get; set; }
        public string? RuleName { get; set; }
        public long? TeamId { get; set; }
        public string? TeamName { get; set; }
        public string? Method { get; set; }
        public long? UserId { get; set; }
        public string? UserName { get; set; }
        public long? PreviousUserId { get; set; }
        public string Explanation { get; set; } = "";
        public string Details { get; set; } = "{}";
        public string ActorType { get; set; } = "";
        public string ActorId { get; set; } = "";
        public string ActorName { get; set; } = "";

        public DecisionDto ToDto() => new(Id, PersonId, DateTimeOffset.FromUnixTimeMilliseconds(DecidedAt), TriggerKind, Outcome, RuleId, RuleName,
            TeamId, TeamName, Method is null ? null : RuleEndpoints.MethodName(Enum.Parse<DistributionMethod>(Method)), UserId, UserName, PreviousUserId, Explanation, Json.Read(Details, new DetailsBlob()).Skipped ?? [],
            new StageActorDto(ActorType, ActorId, ActorName));
    }

    private sealed class DetailsBlob
    {
        public List<SkippedRep>? Skipped { get; set; }
    }
}
