using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Scoring;
using Tandem.Server.Hosting;
using Tandem.Server.Security;

namespace Tandem.Server.Scoring;

/// <summary>The scoring model's versions: read, validate, preview the impact of a change, publish (which re-scores everyone).</summary>
internal static class ScoringEndpoints
{
    public sealed record ModelDto(long Version, string Name, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? PublishedAt,
        bool Active, ScoringModel Model);

    public sealed record PublishedDto(long Version, long RescoreJobId, string RescoreUrl);

    public static IEndpointRouteBuilder MapModelEndpoints(IEndpointRouteBuilder app)
    {
        var scoring = app.MapGroup("/api/v1/scoring").WithTags("Scoring");
        scoring.MapGet("/model", GetActive).RequireScope(Scopes.Read).WithSummary("The active scoring model, with its MQL definition and personas.");
        scoring.MapGet("/models", List).RequireScope(Scopes.Read).WithSummary("Every version of the scoring model, newest first.");
        scoring.MapGet("/models/{version:long}", Get).RequireScope(Scopes.Read).WithSummary("One version of the scoring model.");
        scoring.MapPost("/models/validate", Validate).RequireScope(Scopes.Read).WithSummary("Check a model without publishing it.");
        scoring.MapPost("/models/preview", Preview).RequireScope(Scopes.Read)
            .WithSummary("Dry run: how many people a model would move into or out of MQL, and the grades and cells it would give.");
        scoring.MapPost("/models", Publish).RequireScope(Scopes.Admin)
            .WithSummary("Publish a new version: it becomes active at once and everyone is re-scored in the background (202 with the job).");
        scoring.MapGet("/rescores/{id:long}", GetJob).RequireScope(Scopes.Read).WithSummary("Progress and result of a re-score.");
        return app;
    }

    private static async Task<Results<Ok<ModelDto>, ProblemHttpResult>> GetActive(ScoringModels models, CancellationToken ct)
    {
        var active = await models.ActiveAsync(ct);
        if (active is null) return TypedResults.Problem(statusCode: 404, title: "No scoring model is published.", detail: "Publish one with POST /api/v1/scoring/models.");
        var (model, info) = (await models.GetAsync(active.Version, ct))!.Value;
        return TypedResults.Ok(ToDto(model, info));
    }

    private static async Task<Ok<IReadOnlyList<ScoringModels.Version>>> List(ScoringModels models, CancellationToken ct) =>
        TypedResults.Ok(await models.ListAsync(ct));

    private static async Task<Results<Ok<ModelDto>, ProblemHttpResult>> Get(long version, ScoringModels models, CancellationToken ct) =>
        await models.GetAsync(version, ct) is { } found ? TypedResults.Ok(ToDto(found.Model, found.Info)) : Problems.NotFound("Scoring model version", version);

    private static Results<Ok<object>, ValidationProblem> Validate(ScoringModel model) =>
        ValidationProblemOf(model) is { } problem ? problem : TypedResults.Ok<object>(new { valid = true });

    private static async Task<Results<Ok<RescoreEveryone.Impact>, ValidationProblem>> Preview(ScoringModel model, RescoreEveryone rescore, CancellationToken ct)
    {
        if (ValidationProblemOf(model) is { } problem) return problem;
        return TypedResults.Ok(await rescore.RunAsync(new CompiledModel(0, model), dryRun: true, ct: ct));
    }

    private static async Task<Results<Accepted<PublishedDto>, ValidationProblem>> Publish(ScoringModel model, HttpContext http,
        ScoringModels models, RescoreJobs jobs, Storage.Database db, CancellationToken ct)
    {
        if (ValidationProblemOf(model) is { } problem) return problem;
        var actor = Actors.Of(http.User);
        var version = await db.WriteAsync((c, tx) => models.PublishAsync(c, tx, model, actor.Name), ct);
        var job = await jobs.StartAsync(version, ct, actor.Type == Tandem.Domain.Lifecycle.ActorType.User && long.TryParse(actor.Id, out var user) ? user : null);
        var url = $"/api/v1/scoring/rescores/{job}";
        return TypedResults.Accepted(url, new PublishedDto(version, job, url));
    }

    private static async Task<Results<Ok<RescoreJobs.Job>, ProblemHttpResult>> GetJob(long id, RescoreJobs jobs, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job ? TypedResults.Ok(job) : Problems.NotFound("Re-score", id);

    /// <summary>A problem document naming each invalid part of the model (e.g. "engagement[2].halfLifeDays"), or null.</summary>
    public static ValidationProblem? ValidationProblemOf(ScoringModel model)
    {
        var problems = ModelValidator.Validate(model);
        if (problems.Count == 0) return null;
        return Problems.Fields(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
    }

    private static ModelDto ToDto(ScoringModel model, ScoringModels.Version v) =>
        new(v.Number, v.Name, v.CreatedAt, v.CreatedBy, v.PublishedAt, v.Active, model);
}
