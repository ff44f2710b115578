using Tandem.Server.People;
using Tandem.Server.Security;

namespace Tandem.Server.Scoring;

internal static class ScoringModule
{
    public static IServiceCollection AddScoring(this IServiceCollection services)
    {
        services.AddSingleton<ScoringModels>();
        services.AddSingleton<ScoreWriter>();
        services.AddSingleton<PersonScorer>();
        services.AddSingleton<RescoreEveryone>();
        services.AddSingleton<RescoreJobs>();
        services.AddHostedService<DecayRefresher>();
        return services;
    }

    public static IEndpointRouteBuilder MapScoringEndpoints(this IEndpointRouteBuilder app)
    {
        ScoringEndpoints.MapModelEndpoints(app);
        var people = app.MapGroup("/api/v1/people").WithTags("Scoring");
        people.MapGet("/{id:long}/score", ExplainScore.Handle).RequireScope(Scopes.Read)
            .WithSummary("The person's score now, explained: each fit rule, each activity's points, their value after decay, caps applied.");
        people.MapGet("/{id:long}/score/history", ExplainScore.History).RequireScope(Scopes.Read)
            .WithSummary("How the person's score moved over time.");
        return app;
    }

    /// <summary>
    /// At start-up: a workspace without any model gets the built-in B2B default (and everyone is scored),
    /// and re-scores interrupted by a stop are resumed.
    /// </summary>
    public static async Task EnsureScoringAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<Storage.Database>();
        var models = services.GetRequiredService<ScoringModels>();
        var jobs = services.GetRequiredService<RescoreJobs>();
        await jobs.ResumeInterruptedAsync(ct);
        if (await models.ActiveAsync(ct) is not null) return;
        var version = await db.WriteAsync(async (c, tx) =>
            await models.ActiveAsync(c, tx) is null ? await models.PublishAsync(c, tx, ScoringModels.BuiltIn("b2b-default"), "Tandem") : (long?)null, ct);
        if (version is { } v) await jobs.WaitAsync(await jobs.StartAsync(v, ct));
    }

    /// <summary>Re-scores everyone under the active model and waits for it.</summary>
    public static async Task RescoreEveryoneAsync(IServiceProvider services, CancellationToken ct)
    {
        var jobs = services.GetRequiredService<RescoreJobs>();
        if (await services.GetRequiredService<ScoringModels>().ActiveAsync(ct) is { } active)
            await jobs.WaitAsync(await jobs.StartAsync(active.Version, ct));
    }
}
