using Tandem.Server.Demo;
using Tandem.Server.Users;

namespace Tandem.Server.Operations;

/// <summary>Running Tandem for real: the first admin, the demo's mark, health checks and abuse limits.</summary>
internal static class OperationsModule
{
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DemoMark>();
        services.AddSingleton<Backups.ServingLock>();
        services.AddSingleton<FirstAdminSetup>();
        services.AddHostedService<StartupNotices>();
        services.AddAbuseLimits(configuration);
        return services;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        // Added here, after authentication, so tracking is limited per authenticated write key; endpoints run after it.
        app.UseRateLimiter();
        Health.Map(app);
        return app;
    }
}
