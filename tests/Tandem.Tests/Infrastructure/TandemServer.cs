using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Tests.Infrastructure;

/// <summary>
/// A real Tandem server on a loopback port with its own fresh database, for end-to-end tests over HTTP.
/// Each test starts its own, so no test sees another's data.
/// </summary>
public sealed class TandemServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Dictionary<string, string?> overrides;
    private readonly TimeProvider? clock;
    private readonly Action<IServiceCollection>? services;

    private TandemServer(WebApplication app, string baseUrl, string dataDir, Dictionary<string, string?> overrides, TimeProvider? clock,
        Action<IServiceCollection>? services)
    {
        this.app = app;
        this.overrides = overrides;
        this.clock = clock;
        this.services = services;
        BaseUrl = baseUrl;
        DataDir = dataDir;
    }

    public string BaseUrl { get; }
    public string DataDir { get; }
    public IServiceProvider Services => app.Services;
    public Database Database => app.Services.GetRequiredService<Database>();

    public string ConnectionString => Database.ConnectionString;

    /// <param name="connectionString">An existing database to use (a second server on the same data, or a restart); when null, a fresh
    /// copy of a migrated database (the server still runs its migrations on start, and finds none pending).</param>
    /// <param name="services">Registers or replaces services, e.g. a stand-in for a module another branch provides.</param>
    /// <param name="dataDir">An existing data folder (with the files an earlier start wrote there); when null, a new empty one.</param>
    public static async Task<TandemServer> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite,
        TimeProvider? clock = null, IDictionary<string, string?>? settings = null, string? connectionString = null,
        Action<IServiceCollection>? services = null, string? dataDir = null)
    {
        connectionString ??= (await TestDatabases.CreateMigratedAsync(provider)).ConnectionString;
        return await StartAsync(Overrides(provider, dataDir ?? TempFolder.Create("server"), connectionString, settings), clock, services);
    }

    /// <summary>
    /// Does what a start does before the server listens — migrations, the built-in scoring model and, when the settings ask
    /// for it, the demo workspace's seed — without starting background services or listening; then lets go of the database.
    /// </summary>
    public static async Task PrepareAsync(DatabaseProvider provider, TimeProvider? clock, IDictionary<string, string?> settings,
        string connectionString, string dataDir)
    {
        var app = TandemApp.Build([], Overrides(provider, dataDir, connectionString, settings), s =>
        {
            if (clock is not null) s.Replace(ServiceDescriptor.Singleton(clock));
        });
        await using (app) await TandemApp.PrepareAsync(app);
    }

    private static Dictionary<string, string?> Overrides(DatabaseProvider provider, string dataDir, string connectionString,
        IDictionary<string, string?>? settings)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Tandem:DataDir"] = dataDir,
            ["Tandem:Database:Provider"] = provider.ToString(),
            ["Tandem:Database:ConnectionString"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            // Abuse limits off: tests sign in and post from one address far faster than a person would; RateLimitTests sets them.
            ["Tandem:RateLimits:SignInPerMinute"] = "0",
            ["Tandem:RateLimits:PublicFormsPerMinute"] = "0",
            ["Tandem:RateLimits:TrackingPerSecond"] = "0",
            // Test webhook receivers listen on loopback over plain http: allowed by name, as an operator allows a receiver
            // inside the company's network (WebhookSafetyTests runs without it).
            ["Tandem:Notifications:Webhooks:AllowHttpHosts:0"] = "127.0.0.1",
            ["Tandem:Notifications:Webhooks:AllowPrivateHosts:0"] = "127.0.0.1",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) overrides[k] = v;
        return overrides;
    }

    /// <summary>Stops this server and starts a new one on the same data folder and database, as a restart would.</summary>
    public async Task<TandemServer> RestartAsync()
    {
        await DisposeAsync();
        return await StartAsync(overrides, clock, services);
    }

    private static async Task<TandemServer> StartAsync(Dictionary<string, string?> overrides, TimeProvider? clock, Action<IServiceCollection>? services)
    {
        var app = TandemApp.Build([], overrides, s =>
        {
            if (clock is not null) s.Replace(ServiceDescriptor.Singleton(clock));
            services?.Invoke(s);
        });
        await TandemApp.StartAsync(app);
        return new TandemServer(app, TandemApp.BoundAddresses(app).First(), overrides["Tandem:DataDir"]!, overrides, clock, services);
    }

    /// <summary>Creates an API key with the given scopes and returns it.</summary>
    public async Task<string> CreateKeyAsync(params string[] scopes)
    {
        var (_, key) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync("test " + string.Join("+", scopes), scopes);
        return key;
    }

    /// <summary>An HTTP client for this server; with a key it sends "Authorization: Bearer KEY".</summary>
    public HttpClient Client(string? key = null, bool followRedirects = true)
    {
        // HttpClient's own 100 s limit is a wall-clock guess: training a model on a busy two-core machine can pass it
        // and still be right. The test's cancellation token, not a stopwatch, ends a request that never answers.
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(15) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<HttpClient> AdminClientAsync() => Client(await CreateKeyAsync(Scopes.Admin));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Intent-named helpers over the public API, so tests read as what a user does.</summary>
public static class TandemApi
{
    public static async Task<JsonElement> CaptureLeadAsync(this HttpClient client, object person)
    {
        var response = await client.PostAsJsonAsync("/api/v1/people", person);
        await response.EnsureSuccessWithBodyAsync();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        await response.EnsureSuccessWithBodyAsync();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<HttpResponseMessage> MoveStageAsync(this HttpClient client, long personId, string stage, string? reasonCode = null, string? note = null) =>
        await client.PostAsJsonAsync($"/api/v1/people/{personId}/stage", new { stage, reasonCode, note });

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task EnsureSuccessWithBodyAsync(this HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"{(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync()}");
    }

    public static long Id(this JsonElement e) => e.GetProperty("id").GetInt64();
}
