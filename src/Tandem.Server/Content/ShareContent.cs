using Microsoft.AspNetCore.Http.HttpResults;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Content;

/// <summary>
/// POST /api/v1/people/{id}/content-shares: a rep records sending an asset ("sent the pricing deck"). It lands on the
/// person's timeline as a <c>content_shared</c> activity naming the asset and who sent it, which the content report counts
/// as sales use.
/// </summary>
internal static class ShareContent
{
    public const string ActivityType = "content_shared";

    public sealed record Request(long? AssetId, string? Note);

    public static Task<Results<Created<ActivityDto>, ValidationProblem, ProblemHttpResult>> Handle(long id, Request request, HttpContext http,
        Consequences consequences, PersonEvents events, TimeProvider clock, CancellationToken ct) =>
        RecordAsync(id, request, Actors.Of(http.User), consequences, events, clock, ct);

    public static async Task<Results<Created<ActivityDto>, ValidationProblem, ProblemHttpResult>> RecordAsync(long id, Request request, Actor actor,
        Consequences consequences, PersonEvents events, TimeProvider clock, CancellationToken ct)
    {
        if (request.AssetId is null) return Problems.Field("assetId", "Name the asset that was shared.");
        if (request.Note is { Length: > 1000 }) return Problems.Field("note", "Must be at most 1000 characters.");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var outcome = await consequences.WriteAsync<(string? Missing, ActivityDto? Dto)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, id);
            if (person is null) return ("person", null);
            var asset = await c.QuerySingleOrDefaultAsync<AssetRow>("SELECT * FROM content_assets WHERE id = @assetId AND archived_at IS NULL",
                new { assetId = request.AssetId }, tx);
            if (asset is null) return ("asset", null);
            var properties = Json.Write(new Dictionary<string, object?>
            {
                ["assetId"] = asset.Id, ["title"] = asset.Title, ["note"] = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
                ["byType"] = actor.Type.ToString(), ["byId"] = actor.Id, ["by"] = actor.Name,
            });
            var newId = await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, ActivityType, now, now, ActivitySources.Api, properties));
            events.Raise(tx, new ActivitiesAppended([person.Id], actor));
            var row = await c.QuerySingleAsync<ActivityRow>("SELECT * FROM activities WHERE id = @newId", new { newId }, tx);
            return (null, row.ToDto());
        }, ct);
        return outcome.Missing switch
        {
            "person" => Problems.NotFound("Person", id),
            "asset" => Problems.Field("assetId", $"No asset in the registry has id {request.AssetId}."),
            _ => TypedResults.Created($"/api/v1/people/{id}/timeline", outcome.Dto!),
        };
    }
}
