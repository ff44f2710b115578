namespace Tandem.Server.Prediction;

/// <summary>Predictive scoring: conversion models learned from the workspace's outcomes, each person's probability and reasons.</summary>
internal static class PredictionModule
{
    public static IServiceCollection AddPrediction(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(PredictionOptions.Section).Get<PredictionOptions>() ?? new PredictionOptions());
        services.AddSingleton<PredictionModels>();
        services.AddSingleton<PredictEveryone>();
        services.AddSingleton<TrainPrediction>();
        services.AddHostedService<PredictionScheduler>();
        return services;
    }

    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder app) => PredictionEndpoints.Map(app);
}
