using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Activities;

/// <summary>POST /api/v1/people/{id}/activities: append something that happened (a call, a meeting, a download…).</summary>
internal static partial class LogActivity
{
    public sealed record Request(string? Type, DateTimeOffset? OccurredAt, JsonElement? Properties, string? Channel, long? CampaignId, string? MessageId);

    /// <summary>Facts only Tandem itself records; accepting them from callers would let anyone forge history.</summary>
    public static readonly HashSet<string> SystemTypes = ["stage_changed", "merged", "assigned", "score_changed", "sla_breached"];

    public static async Task<Results<Created<ActivityDto>, Ok<ActivityDto>, ValidationProblem, ProblemHttpResult>> Handle(
        long id, Request request, HttpContext http, Consequences consequences, PersonEvents events, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(request.Type)) v.Add("type", "An activity type is required, e.g. call, email, meeting, note, page_view.");
        else if (!TypePattern().IsMatch(request.Type)) v.Add("type", "Use 1-100 letters, digits, spaces, '_', '-', '.' or ':'.");
        else if (SystemTypes.Contains(request.Type)) v.Add("type", $"'{request.Type}' is recorded by Tandem itself and cannot be logged.");
        if (request.Properties is { } p && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
            v.Add("properties", "Must be a JSON object.");
        if (request.MessageId is { Length: > 200 }) v.Add("messageId", "Must be at most 200 characters.");
        var now = clock.GetUtcNow();
        if (request.OccurredAt > now.AddMinutes(5)) v.Add("occurredAt", "Cannot be in the future.");
        if (!v.IsValid) return v.ToProblem();

        var properties = request.Properties is { ValueKind: JsonValueKind.Object } obj ? obj.GetRawText() : "{}";
        var result = await consequences.WriteAsync<(ActivityDto? Dto, bool Created, bool Found)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, id);
            if (person is null) return (null, false, false);
            if (request.CampaignId is { } cid &&
                await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM campaigns WHERE id = @cid", new { cid }, tx) == 0)
                return (null, false, true);
            var activity = new NewActivity(person.Id, null, request.Type!.Trim(), (request.OccurredAt ?? now).ToUnixTimeMilliseconds(),
                now.ToUnixTimeMilliseconds(), ActivitySources.Api, properties, request.MessageId, request.Channel?.Trim(), request.CampaignId);
            var newId = await ActivityStore.AppendAsync(c, tx, activity);
            if (newId is not null) events.Raise(tx, new ActivitiesAppended([person.Id], Security.Actors.Of(http.User)));
            var row = newId is { } nid
                ? await c.QuerySingleAsync<ActivityRow>("SELECT * FROM activities WHERE id = @nid", new { nid }, tx)
                : await c.QuerySingleAsync<ActivityRow>("SELECT * FROM activities WHERE message_id = @MessageId", new { request.MessageId }, tx);
            return (row.ToDto(), newId is not null, true);
        }, ct);

        if (!result.Found) return Problems.NotFound("Person", id);
        if (result.Dto is null) return Problems.Field("campaignId", $"No campaign has id {request.CampaignId}.");
        return result.Created ? TypedResults.Created($"/api/v1/people/{result.Dto.PersonId}/timeline", result.Dto) : TypedResults.Ok(result.Dto);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_ .:\-]{1,100}$")]
    private static partial Regex TypePattern();
}
