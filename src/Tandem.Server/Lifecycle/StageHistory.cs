using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Lifecycle;

internal sealed record StageActorDto(string Type, string Id, string Name);

internal sealed record StageChangeDto(long Id, string? From, string To, DateTimeOffset At, StageActorDto By,
    string? ReasonCode, string? ReasonText, JsonElement? Scores);

/// <summary>GET /api/v1/people/{id}/stages: every stage change, oldest first.</summary>
internal static class StageHistory
{
    public static async Task<Results<Ok<IReadOnlyList<StageChangeDto>>, ProblemHttpResult>> Handle(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync<Results<Ok<IReadOnlyList<StageChangeDto>>, ProblemHttpResult>>(async c =>
        {
            var person = await PersonStore.FindLiveAsync(c, null, id);
            if (person is null) return Problems.NotFound("Person", id);
            return TypedResults.Ok(await ReadAsync(c, null, person.Id));
        }, ct);

    public static async Task<IReadOnlyList<StageChangeDto>> ReadAsync(DbConnection c, DbTransaction? tx, long personId) =>
        (await c.QueryAsync<Row>("SELECT * FROM stage_changes WHERE person_id = @personId ORDER BY changed_at, id", new { personId }, tx))
        .Select(r => new StageChangeDto(r.Id, r.FromStage, r.ToStage, DateTimeOffset.FromUnixTimeMilliseconds(r.ChangedAt),
            new StageActorDto(r.ActorType, r.ActorId, r.ActorName), r.ReasonCode, r.ReasonText,
            r.Scores is null ? null : JsonDocument.Parse(r.Scores).RootElement.Clone()))
        .ToList();

    private sealed class Row
    {
        public long Id { get; set; }
        public string? FromStage { get; set; }
        public string ToStage { get; set; } = "";
        public long ChangedAt { get; set; }
        public string ActorType { get; set; } = "";
        public string ActorId { get; set; } = "";
        public string ActorName { get; set; } = "";
        public string? ReasonCode { get; set; }
        public string? ReasonText { get; set; }
        public string? Scores { get; set; }
    }
}
