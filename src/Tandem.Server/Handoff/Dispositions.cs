using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Lifecycle;
using Tandem.Server.Notifications;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Handoff;

internal static class DispositionKinds
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Qualified = "sql";
    public const string Opportunity = "opportunity";
    public const string Won = "won";
    public const string Lost = "lost";
}

internal sealed record DispositionDto(long Id, long PersonId, string Kind, string? ReasonCode, string? Note, decimal? Amount, long? OwnerId,
    string? Source, string? Campaign, IReadOnlyList<string> Personas, DateTimeOffset At, StageActorDto By);

/// <summary>What sales decides about a lead: the stage move it means, and the reason, note and amount behind it.</summary>
internal sealed record DispositionRequest(string Kind, IReadOnlyList<Stage> FromStages, Stage To, string? StageReason, string? Reason, string? Note,
    decimal? Amount);

/// <summary>
/// Records a disposition through the lifecycle (the stage history and its events, so SLA clocks and analytics see it),
/// plus a disposition row that keeps the lead's source, campaign and personas of that moment for the closed-loop report.
/// </summary>
internal sealed class Dispositions(Consequences consequences, MoveStage moveStage, TimeProvider clock)
{
    public async Task<Results<Ok<DispositionDto>, ValidationProblem, ProblemHttpResult>> RecordAsync(long personId, DispositionRequest request, Actor actor,
        CancellationToken ct)
    {
        var outcome = await consequences.WriteAsync<(bool Found, ProblemHttpResult? Conflict, DispositionDto? Dto)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, personId, forUpdate: true);
            if (person is null) return (false, null, null);
            var from = person.ParsedStage;
            if (!request.FromStages.Contains(from))
                return (true, Problems.Conflict($"Cannot record '{request.Kind}' for a lead in {from}.",
                    $"'{request.Kind}' applies to a lead in {string.Join(" or ", request.FromStages)}; this one is in {from}.",
                    new Dictionary<string, object?> { ["from"] = from.ToString(), ["to"] = request.To.ToString() }), null);
            // Hand-off reasons are their own configured lists, so the lifecycle is asked only whether the move itself is allowed.
            var reasons = request.StageReason is { } sr ? new ReasonCodes(new Dictionary<Stage, IReadOnlyList<string>> { [request.To] = [sr] }) : null;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var decision = await moveStage.MoveAsync(c, tx, person, new StageMove(request.To, actor, now, request.StageReason, request.Note, Reasons: reasons));
            if (!decision.IsAllowed)
                return (true, Problems.Conflict($"Cannot move from {from} to {request.To}.", decision.Reason ?? "The move is not allowed."), null);
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO dispositions (person_id, kind, reason_code, note, amount_cents, owner_id, source_channel, campaign, personas, decided_at, " +
                "actor_type, actor_id, actor_name) VALUES (@PersonId, @Kind, @Reason, @Note, @Cents, @OwnerId, @Source, @Campaign, @Personas, @now, " +
                "@ActorType, @ActorId, @ActorName) RETURNING id",
                new
                {
                    PersonId = person.Id, request.Kind, request.Reason, request.Note, Cents = request.Amount is { } a ? (long)Math.Round(a * 100) : (long?)null,
                    person.OwnerId, Source = person.FirstTouchChannel, Campaign = person.FirstTouchAttribution?.Campaign, person.Personas, now,
                    ActorType = actor.Type.ToString(), ActorId = actor.Id, ActorName = actor.Name,
                }, tx);
            await Outbox.AddAsync(c, tx, $"lead.{request.Kind}", person.Id, null, new
            {
                person = new { id = person.Id, email = person.Email, firstName = person.FirstName, lastName = person.LastName, company = person.Company, stage = person.Stage },
                disposition = request.Kind, reasonCode = request.Reason, note = request.Note, amount = request.Amount, ownerId = person.OwnerId, by = actor.Name,
            }, now);
            return (true, null, (await ForPersonAsync(c, tx, person.Id)).First(d => d.Id == id));
        }, ct);
        if (!outcome.Found) return Problems.NotFound("Person", personId);
        if (outcome.Conflict is { } conflict) return conflict;
        return TypedResults.Ok(outcome.Dto!);
    }

    public static async Task<IReadOnlyList<DispositionDto>> ForPersonAsync(DbConnection c, DbTransaction? tx, long personId) =>
        (await c.QueryAsync<Row>("SELECT * FROM dispositions WHERE person_id = @personId ORDER BY id", new { personId }, tx)).Select(r => r.ToDto()).ToList();

    public static async Task<Results<Ok<IReadOnlyList<DispositionDto>>, ProblemHttpResult>> List(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync<Results<Ok<IReadOnlyList<DispositionDto>>, ProblemHttpResult>>(async c =>
            await PersonStore.FindLiveAsync(c, null, id) is { } p ? TypedResults.Ok(await ForPersonAsync(c, null, p.Id)) : Problems.NotFound("Person", id), ct);

    internal sealed class Row
    {
        public long Id { get; set; }
        public long PersonId { get; set; }
        public string Kind { get; set; } = "";
        public string? ReasonCode { get; set; }
        public string? Note { get; set; }
        public long? AmountCents { get; set; }
        public long? OwnerId { get; set; }
        public string? SourceChannel { get; set; }
        public string? Campaign { get; set; }
        public string Personas { get; set; } = "[]";
        public long DecidedAt { get; set; }
        public string ActorType { get; set; } = "";
        public string ActorId { get; set; } = "";
        public string ActorName { get; set; } = "";

        public DispositionDto ToDto() => new(Id, PersonId, Kind, ReasonCode, Note, AmountCents / 100m, OwnerId, SourceChannel, Campaign,
            Json.Read(Personas, new List<string>()), DateTimeOffset.FromUnixTimeMilliseconds(DecidedAt), new StageActorDto(ActorType, ActorId, ActorName));
    }
}
