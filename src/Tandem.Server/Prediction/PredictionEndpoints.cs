using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Prediction;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Prediction;

/// <summary>A person's stored prediction, with its reasons in words.</summary>
internal sealed record PredictionDto(long PersonId, double Probability, long ModelVersion, DateTimeOffset PredictedAt, double BaseRate,
    IReadOnlyList<Reason> Reasons);

/// <summary>The prediction API: a person's probability, the model versions, training, and rolling back to an earlier version.</summary>
internal static class PredictionEndpoints
{
    private sealed class Row
    {
        public double? ConversionProbability { get; set; }
        public string? PredictionReasons { get; set; }
        public long? PredictionVersion { get; set; }
        public long? PredictedAt { get; set; }
    }

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/people").WithTags("Prediction").MapGet("/{id:long}/prediction", GetPersonPrediction).RequireScope(Scopes.Read)
            .WithSummary("The person's conversion probability under the active model, with the reasons that add up to its distance from the base rate.");
        var group = app.MapGroup("/api/v1/prediction").WithTags("Prediction");
        group.MapGet("/models", List).RequireScope(Scopes.Read).WithSummary("Every conversion model version, newest first, with its holdout figures beside the rules model's.");
        group.MapGet("/models/{version:long}", Get).RequireScope(Scopes.Read).WithSummary("One conversion model version.");
        group.MapPost("/models", Train).RequireScope(Scopes.Admin)
            .WithSummary("Train a new version; it is activated only when it beats the active one on the holdout. 422 when there is too little history.");
        group.MapPost("/models/{version:long}/activate", Activate).RequireScope(Scopes.Admin)
            .WithSummary("Make an earlier (or any) version the active one, and predict everyone with it.");
        return app;
    }

    private static async Task<Results<Ok<PredictionDto>, ProblemHttpResult>> GetPersonPrediction(long id, Database db, PredictionModels models, CancellationToken ct)
    {
        var found = await db.ReadAsync(async c =>
        {
            if (await PersonStore.FindLiveAsync(c, null, id) is null) return ((Row?)null, (ActiveModel?)null, false);
            var row = await c.QuerySingleAsync<Row>(
                "SELECT conversion_probability, prediction_reasons, prediction_version, predicted_at FROM people WHERE id = @id", new { id });
            return (row, await models.ActiveAsync(c), true);
        }, ct);
        if (!found.Item3) return Problems.NotFound("Person", id);
        if (found.Item1 is not { ConversionProbability: { } p, PredictionVersion: { } v, PredictedAt: { } at } row)
            return TypedResults.Problem(statusCode: 404, title: "No prediction for this person.",
                detail: "No conversion model is active yet: train one with POST /api/v1/prediction/models or ./tandem predict train.");
        return TypedResults.Ok(new PredictionDto(id, p, v, DateTimeOffset.FromUnixTimeMilliseconds(at), found.Item2?.BaseRate ?? 0,
            Json.Read<List<Reason>>(row.PredictionReasons, [])));
    }

    private static async Task<Ok<IReadOnlyList<ModelInfo>>> List(Database db, PredictionModels models, CancellationToken ct) =>
        TypedResults.Ok(await db.ReadAsync(c => models.ListAsync(c), ct));

    private static async Task<Results<Ok<ModelInfo>, ProblemHttpResult>> Get(long version, Database db, PredictionModels models, CancellationToken ct) =>
        await db.ReadAsync(c => models.GetAsync(c, version), ct) is { } info ? TypedResults.Ok(info) : Problems.NotFound("Conversion model version", version);

    private static async Task<Results<Ok<TrainOutcome>, ValidationProblem, ProblemHttpResult>> Train(TrainRequest? request, HttpContext http,
        TrainPrediction train, CancellationToken ct)
    {
        request ??= new TrainRequest();
        var validation = new Validation();
        if (request.TargetStage is { } t && !(Stages.TryParse(t, out var s) && s is Stage.Customer or Stage.SQL))
            validation.Add("targetStage", $"'{t}' is not a target stage; use Customer or SQL.");
        if (request.MaturationDays is < 1 or > 3650) validation.Add("maturationDays", "Must be between 1 and 3650 days.");
        if (request.Folds is < 0 or 1 or > 10) validation.Add("folds", "Must be 0 (none) or between 2 and 10.");
        if (!validation.IsValid) return validation.ToProblem();
        var outcome = await train.RunAsync(request, Actors.Of(http.User).Name, ct);
        if (!outcome.Trained) return TypedResults.Problem(statusCode: 422, title: "Too little history to train.", detail: outcome.Verdict);
        return TypedResults.Ok(outcome);
    }

    private static async Task<Results<Ok<ModelInfo>, ProblemHttpResult>> Activate(long version, Database db, PredictionModels models,
        PredictEveryone everyone, TimeProvider clock, CancellationToken ct)
    {
        var info = await db.ReadAsync(c => models.GetAsync(c, version), ct);
        if (info is null) return Problems.NotFound("Conversion model version", version);
        await db.WriteAsync((c, tx) => PredictionModels.ActivateAsync(c, tx, version, clock.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        await everyone.RunAsync(ct);
        return TypedResults.Ok((await db.ReadAsync(c => models.GetAsync(c, version), ct))!);
    }
}
