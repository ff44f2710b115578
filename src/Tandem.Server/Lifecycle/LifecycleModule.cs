using Tandem.Server.Handoff;
using Tandem.Server.Hosting;

namespace Tandem.Server.Lifecycle;

/// <summary>The lifecycle module's services: the stages and reason codes, and the one stage move.</summary>
internal static class LifecycleModule
{
    public static IServiceCollection AddLifecycle(this IServiceCollection services, TandemOptions options, IConfiguration configuration)
    {
        // Configuration seeds the reason codes of a new workspace; after that they live in the database (Definitions page).
        var handoffSeed = configuration.GetSection(HandoffOptions.Section).Get<HandoffOptions>() ?? new HandoffOptions();
        var reasons = new ReasonCatalog(ReasonCatalog.SeedFrom(options.Lifecycle.ToReasonCodes(), handoffSeed), handoffSeed.LostStageReason);
        services.AddSingleton(reasons);
        services.AddHostedService<ReasonCatalogRefresher>();
        services.AddSingleton(new LifecycleSettings(options.Lifecycle.ParsedInitialStage, reasons));
        services.AddSingleton<MoveStage>();
        return services;
    }
}
