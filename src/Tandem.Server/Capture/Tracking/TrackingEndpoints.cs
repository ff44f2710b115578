using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Security;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// Segment's HTTP Tracking API, so existing Segment and RudderStack client libraries can point at
/// Tandem unchanged. Authenticated by a write key (an API key with the ingest scope) sent as the
/// HTTP Basic user name.
/// </summary>
internal static class TrackingEndpoints
{
    public sealed record Accepted(bool Success, int Stored, int Duplicates);

    public static IEndpointRouteBuilder MapTrackingEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Tracking (Segment-compatible)").RequireScope(Scopes.Ingest);
        foreach (var type in IngestMessages.Types)
            v1.MapPost($"/{type}", (SegmentMessage message, HttpContext http, IngestMessages ingest, CancellationToken ct) =>
                    StoreSingle(type, message, http, ingest, ct))
                .WithName($"Tracking_{type}").WithSummary($"Record a Segment {type} call.");
        v1.MapPost("/batch", StoreBatch).WithName("Tracking_batch").WithSummary("Record up to thousands of Segment calls at once.");
        return app;
    }

    /// <summary>
    /// An ingest key is public (it sits in the website's page), so it may not merge two people anyone knows; a key that
    /// may write people may (see <see cref="IngestMessages"/>).
    /// </summary>
    private static bool MayMergeKnownPeople(HttpContext http) => Scopes.Allows(http.User, Scopes.Write);

    private static async Task<Results<Ok<Accepted>, ValidationProblem>> StoreSingle(
        string type, SegmentMessage message, HttpContext http, IngestMessages ingest, CancellationToken ct)
    {
        message.Type ??= type;
        if (!string.Equals(message.Type, type, StringComparison.OrdinalIgnoreCase)) message.Type = type; // the path says what it is
        var v = IngestMessages.Validate([message], "");
        if (!v.IsValid) return v.ToProblem();
        var outcome = await ingest.StoreAsync([message], null, null, Actors.Of(http.User), MayMergeKnownPeople(http), ct);
        return TypedResults.Ok(new Accepted(true, outcome.Stored, outcome.Duplicates));
    }

    private static async Task<Results<Ok<Accepted>, ValidationProblem>> StoreBatch(
        SegmentBatch body, HttpContext http, IngestMessages ingest, CancellationToken ct)
    {
        if (body.Batch is null) return Hosting.Problems.Field("batch", "A 'batch' array of messages is required.");
        var v = IngestMessages.Validate(body.Batch, "batch");
        if (!v.IsValid) return v.ToProblem();
        var messages = body.Batch.OfType<SegmentMessage>().ToList(); // validation refused any null entry
        var outcome = await ingest.StoreAsync(messages, body.SentAt, body.Context, Actors.Of(http.User), MayMergeKnownPeople(http), ct);
        return TypedResults.Ok(new Accepted(true, outcome.Stored, outcome.Duplicates));
    }
}
