using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Consent;

internal sealed record ConsentBasisDto(string Status, string Basis, string Source, string? Form, string? PageUrl, string? Ip, string? UserAgent,
    DateTimeOffset? RequestedAt, DateTimeOffset? ConfirmedAt, DateTimeOffset UpdatedAt);

internal sealed record TopicOptOutDto(string Topic, DateTimeOffset At);

internal sealed record SuppressionDto(string Address, string Reason, string Source, long? SendId, DateTimeOffset CreatedAt, DateTimeOffset? LiftedAt,
    string? LiftedReason);

internal sealed record ConsentLogDto(string Action, string? Topic, string? Basis, string Source, string? Ip, string? UserAgent, string? Detail,
    DateTimeOffset At);

/// <summary>A person's consent for marketing email: the current basis with its proof, topics left, suppressions, and the log.</summary>
internal sealed record ConsentDocument(long PersonId, string? Email, bool Unsubscribed, ConsentBasisDto? Current, IReadOnlyList<TopicOptOutDto> TopicOptOuts,
    IReadOnlyList<SuppressionDto> Suppressions, IReadOnlyList<ConsentLogDto> Log);

/// <summary>
/// GET and PUT /api/v1/people/{id}/consent. PUT records a basis given somewhere else (an event's sign-up sheet, a
/// contract, a CRM) with its source. Opting out works at any time and is an unsubscribe like the email link's. Opting
/// in over an unsubscribe is refused: only the person can re-subscribe, from their preference page.
/// </summary>
internal static class ConsentApi
{
    public sealed record PutRequest(string? Status, string? Basis, string? Source, string? Form, string? PageUrl, string? Ip, string? UserAgent,
        DateTimeOffset? At);

    public static IEndpointRouteBuilder MapConsentApi(this IEndpointRouteBuilder app)
    {
        var people = app.MapGroup("/api/v1/people").WithTags("Consent");
        people.MapGet("/{id:long}/consent", Get).RequireScope(Scopes.Read)
            .WithSummary("The person's consent for marketing email: basis with proof, topics left, suppressions and the log of every change.");
        people.MapPut("/{id:long}/consent", Put).RequireScope(Scopes.Write)
            .WithSummary("Record a consent basis given elsewhere (opted_in) or an opt-out; opting in over an unsubscribe is refused (409).");
        return app;
    }

    private static async Task<Results<Ok<ConsentDocument>, ProblemHttpResult>> Get(long id, Database db, CancellationToken ct)
    {
        var document = await db.ReadAsync(async c => await PersonStore.FindLiveAsync(c, null, id) is { } person ? await LoadAsync(c, null, person) : null, ct);
        return document is null ? Problems.NotFound("Person", id) : TypedResults.Ok(document);
    }

    private static async Task<Results<Ok<ConsentDocument>, ValidationProblem, ProblemHttpResult>> Put(long id, PutRequest request, HttpContext http,
        Consequences consequences, Unsubscriber unsubscriber, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var status = request.Status?.Trim();
        if (status is not (ConsentStatus.OptedIn or ConsentStatus.OptedOut))
            v.Add("status", "Use opted_in or opted_out (pending is Tandem's own, while a double opt-in email waits to be confirmed).");
        var basis = request.Basis?.Trim() ?? (status == ConsentStatus.OptedIn ? null : ConsentBasis.Consent);
        if (basis is null) v.Add("basis", $"Say on what basis: {string.Join(", ", ConsentBasis.All)}.");
        else if (!ConsentBasis.All.Contains(basis)) v.Add("basis", $"'{basis}' is not a basis; use {string.Join(", ", ConsentBasis.All)}.");
        if (string.IsNullOrWhiteSpace(request.Source)) v.Add("source", "Say where the consent was given, e.g. \"webinar sign-up sheet, 12 May\".");
        else if (request.Source.Length > 200) v.Add("source", "Must be at most 200 characters.");
        var now = clock.GetUtcNow();
        if (request.At > now.AddMinutes(5)) v.Add("at", "Cannot be in the future.");
        if (!v.IsValid) return v.ToProblem();

        var actor = Actors.Of(http.User);
        var proof = new ConsentProof(request.Source!.Trim(), ConsentProof.Limit(request.Ip), ConsentProof.Limit(request.UserAgent),
            ConsentProof.Limit(request.Form), ConsentProof.Limit(request.PageUrl));
        var nowMs = now.ToUnixTimeMilliseconds();
        var outcome = await consequences.WriteAsync<(ConsentDocument? Document, bool Refused)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true);
            if (person is null) return (null, false);
            if (status == ConsentStatus.OptedOut)
            {
                if (person.Email is { } address) await unsubscriber.UnsubscribeAsync(c, tx, person.Id, address, null, proof, nowMs);
                else
                {
                    var current = await ConsentStore.FindAsync(c, tx, person.Id);
                    await ConsentStore.SaveAsync(c, tx, person.Id, ConsentStatus.OptedOut, basis!, proof, current?.RequestedAt, current?.ConfirmedAt, nowMs);
                    await ConsentStore.LogAsync(c, tx, person.Id, "opted_out", proof, nowMs, basis, detail: $"recorded by {actor.Name}");
                }
            }
            else
            {
                var suppressed = person.Email is { } address && (await EmailSuppressions.ReasonsAsync(c, tx, address)).Contains(SuppressionReasons.Unsubscribed);
                if (suppressed || person.Unsubscribed != 0) return (null, true);
                var given = (request.At ?? now).ToUnixTimeMilliseconds();
                await ConsentStore.SaveAsync(c, tx, person.Id, ConsentStatus.OptedIn, basis!, proof, null, given, nowMs);
                await ConsentStore.LogAsync(c, tx, person.Id, "opted_in", proof, nowMs, basis, detail: $"recorded by {actor.Name}");
            }
            return (await LoadAsync(c, tx, (await PersonStore.FindAsync(c, tx, person.Id))!), false);
        }, ct);
        if (outcome.Refused)
            return Problems.Conflict("The person unsubscribed.",
                "status: only the person can re-subscribe, from the preference page linked in every marketing email; an opt-in recorded elsewhere does not lift an unsubscribe.");
        return outcome.Document is null ? Problems.NotFound("Person", id) : TypedResults.Ok(outcome.Document);
    }

    public static async Task<ConsentDocument> LoadAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, PersonRow person)
    {
        static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
        var row = await ConsentStore.FindAsync(c, tx, person.Id);
        var current = row is null ? null : new ConsentBasisDto(row.Status, row.Basis, row.Source, row.Form, row.PageUrl, row.Ip, row.UserAgent,
            row.RequestedAt is { } r ? At(r) : null, row.ConfirmedAt is { } f ? At(f) : null, At(row.UpdatedAt));
        var topics = (await c.QueryAsync<(string Topic, long At)>("SELECT topic, at FROM email_topic_optouts WHERE person_id = @Id ORDER BY topic",
            new { person.Id }, tx)).Select(t => new TopicOptOutDto(t.Topic, At(t.At))).ToList();
        var address = person.Email is { } e ? EmailSuppressions.Normalize(e) : null;
        var suppressions = (await c.QueryAsync<SuppressionRow>(
                "SELECT address, reason, source, send_id, created_at, lifted_at, lifted_reason FROM email_suppressions " +
                "WHERE person_id = @Id OR address = @address ORDER BY id", new { person.Id, address }, tx))
            .Select(s => new SuppressionDto(s.Address, s.Reason, s.Source, s.SendId, At(s.CreatedAt), s.LiftedAt is { } l ? At(l) : null, s.LiftedReason))
            .ToList();
        var log = (await c.QueryAsync<LogRow>(
                "SELECT action, topic, basis, source, ip, user_agent, detail, at FROM email_consent_log WHERE person_id = @Id ORDER BY at, id",
                new { person.Id }, tx))
            .Select(l => new ConsentLogDto(l.Action, l.Topic, l.Basis, l.Source, l.Ip, l.UserAgent, l.Detail, At(l.At))).ToList();
        return new ConsentDocument(person.Id, person.Email, person.Unsubscribed != 0, current, topics, suppressions, log);
    }

    private sealed class SuppressionRow
    {
        public string Address { get; set; } = "";
        public string Reason { get; set; } = "";
        public string Source { get; set; } = "";
        public long? SendId { get; set; }
        public long CreatedAt { get; set; }
        public long? LiftedAt { get; set; }
        public string? LiftedReason { get; set; }
    }

    private sealed class LogRow
    {
        public string Action { get; set; } = "";
        public string? Topic { get; set; }
        public string? Basis { get; set; }
        public string Source { get; set; } = "";
        public string? Ip { get; set; }
        public string? UserAgent { get; set; }
        public string? Detail { get; set; }
        public long At { get; set; }
    }
}
