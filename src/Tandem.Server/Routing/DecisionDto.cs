using System.Data.Common;
using Dapper;
using Tandem.Domain.Routing;
using Tandem.Server.Lifecycle;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>A stored routing decision: the answer to "why did I get this lead".</summary>
public sealed record DecisionDto(long Id, long PersonId, DateTimeOffset DecidedAt, string Trigger, string Outcome, long? RuleId, string? RuleName,
    long? TeamId, string? TeamName, string? Method, long? UserId, string? UserName, long? PreviousUserId, string Explanation,
    IReadOnlyList<SkippedRep> Skipped, StageActorDto By);

public static class Decisions
{
    private const string Select =
        "SELECT d.*, t.name AS team_name, u.name AS user_name FROM routing_decisions d " +
        "LEFT JOIN teams t ON t.id = d.team_id LEFT JOIN users u ON u.id = d.user_id ";

    public static async Task<IReadOnlyList<DecisionDto>> ForPersonAsync(DbConnection c, DbTransaction? tx, long personId) =>
        (await c.QueryAsync<Row>(Select + "WHERE d.person_id = @personId ORDER BY d.id DESC", new { personId }, tx)).Select(r => r.ToDto()).ToList();

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
