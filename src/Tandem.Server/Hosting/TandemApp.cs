using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Tandem.Server.Accounts;
using Tandem.Server.Audit;
using Tandem.Server.CampaignReports;
using Tandem.Server.Campaigns;
using Tandem.Server.Capture;
using Tandem.Server.Content;
using Tandem.Server.Demo;
using Tandem.Server.Email;
using Tandem.Server.Email.Inbound;
using Tandem.Server.Email.Consent;
using Tandem.Server.Export;
using Tandem.Server.Handoff;
using Tandem.Server.Identity;
using Tandem.Server.Import;
using Tandem.Server.Lifecycle;
using Tandem.Server.Notifications;
using Tandem.Server.Nurture;
using Tandem.Server.Operations;
using Tandem.Server.Operations.Telemetry;
using Tandem.Server.People;
using Tandem.Server.Planning;
using Tandem.Server.Reports;
using Tandem.Server.Prediction;
using Tandem.Server.Privacy;
using Tandem.Server.Scoring;
using Tandem.Server.Routing;
using Tandem.Server.Security;
using Tandem.Server.Sla;
using Tandem.Server.Stall;
using Tandem.Server.Storage;
using Tandem.Server.Web;

namespace Tandem.Server.Hosting;

/// <summary>Builds and starts the Tandem server: the one wiring point for every module.</summary>
internal static class TandemApp
{
    /// <param name="overrides">Configuration keys set by the command line (e.g. "Tandem:DataDir").</param>
    /// <param name="configureServices">Lets tests swap services such as the clock.</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // appsettings.json is read once: a watcher per server costs an inotify instance, and the system's few
            // run out when many servers share a machine (the test suite starts hundreds).
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        var options = builder.Configuration.GetSection(TandemOptions.Section).Get<TandemOptions>() ?? new TandemOptions();

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // HttpClient's own log names every URL it calls, and a webhook's URL is its secret.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer<OpenApiSecurity>().AddOperationTransformer<OpenApiOperationScopes>());

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => options.CreateDatabase());
        builder.Services.AddSingleton<Tandem.Server.Users.UserStore>();
        builder.Services.AddLifecycle(options, builder.Configuration);
        builder.Services.AddPeople();
        builder.Services.AddCapture();
        builder.Services.AddTandemSecurity();
        builder.Services.AddScoring();
        builder.Services.AddImport();
        builder.Services.AddLeadRouting();
        builder.Services.AddNotifications();
        builder.Services.AddHandoff();
        builder.Services.AddSla();
        builder.Services.AddEmail();
        builder.Services.AddEmailInbound();
        builder.Services.AddNurture();
        builder.Services.AddStalls();
        builder.Services.AddEmailConsent(builder.Configuration);
        builder.Services.AddReports();
        builder.Services.AddPrediction();
        builder.Services.AddPlanning();
        builder.Services.AddWeb();
        builder.Services.AddAudit();
        builder.Services.AddPrivacy();
        builder.Services.AddOperations(builder.Configuration);
        builder.Services.AddDeploymentSecurity(builder.Configuration);
        builder.AddTelemetry();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseDeploymentSecurity();
        app.UseExceptionHandler();
        app.UseStatusCodeProblems(options);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/healthz", HealthCheck).AllowAnonymous().ExcludeFromDescription();
        app.MapPeopleEndpoints();
        app.MapAccountEndpoints();
        app.MapCampaignEndpoints();
        app.MapAttributionEndpoints();
        app.MapContentEndpoints();
        app.MapCaptureEndpoints();
        app.MapLifecycleEndpoints();
        app.MapApiKeyEndpoints();
        app.MapScoringEndpoints();
        app.MapImportEndpoints();
        app.MapExportEndpoints();
        app.MapRoutingEndpoints();
        app.MapNotificationEndpoints();
        app.MapHandoffEndpoints();
        app.MapSlaEndpoints();
        app.MapEmailEndpoints();
        app.MapEmailInboundEndpoints();
        app.MapNurtureEndpoints();
        app.MapStallEndpoints();
        app.MapReportEndpoints();
        app.MapPredictionEndpoints();
        app.MapPlanningEndpoints();
        app.MapWebEndpoints();
        app.MapEmailConsentEndpoints();
        app.MapAuditEndpoints();
        app.MapPrivacyEndpoints();
        app.MapOperations();
        return app;
    }

    /// <summary>Migrates the database (and seeds the demo workspace if asked), then starts listening.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken ct = default)
    {
        await PrepareAsync(app, ct);
        await app.StartAsync(ct);
    }

    /// <summary>Everything a start does before the background services run and the server listens: migrations, the
    /// workspace's definitions, the built-in scoring model, and the demo workspace's seed when asked for.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct = default)
    {
        var services = app.Services;
        services.GetRequiredService<Operations.Backups.ServingLock>().Hold();
        await PrepareDatabaseAsync(services, ct);
        await ScoringModule.EnsureScoringAsync(services, ct);
        var options = services.GetRequiredService<TandemOptions>();
        if (options.Demo)
            await DemoWorkspace.EnsureSeededAsync(services, ct, options.DemoPeople);
    }

    /// <summary>Brings the database up to date and reads the workspace's definitions that live in it.</summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<Database>();
        await new Migrator(db).MigrateAsync(ct);
        await services.GetRequiredService<ReasonCatalog>().LoadAsync(db, ct);
    }

    /// <summary>The addresses Kestrel actually bound (a requested port 0 becomes a real port).</summary>
    public static IReadOnlyList<string> BoundAddresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static async Task<IResult> HealthCheck(Database db, CancellationToken ct)
    {
        await db.ReadAsync(async c => { await using var cmd = c.CreateCommand(); cmd.CommandText = "SELECT 1"; return await cmd.ExecuteScalarAsync(ct); }, ct);
        return Results.Ok(new { status = "ok" });
    }
}
