using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Npgsql;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Cli;

/// <summary>Operators configure Tandem with Tandem__… environment variables (containers, systemd); flags are optional.</summary>
public class EnvironmentConfigurationTests
{
    private static ProcessStartInfo Tandem(IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tandem.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return start;
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Tandem(environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task Tandem_data_dir_from_the_environment_holds_the_embedded_database()
    {
        var dir = TempFolder.Create("env-datadir");
        var (exit, _, errors) = await RunAsync(new Dictionary<string, string> { ["Tandem__DataDir"] = dir }, "db", "migrate");
        Assert.True(exit == 0, errors);
        Assert.True(File.Exists(Path.Combine(dir, "tandem.db")));
    }

    [Fact]
    public async Task Provider_and_connection_string_from_the_environment_select_postgres()
    {
        var (_, connectionString) = await TestDatabases.CreateEmptyAsync(DatabaseProvider.Postgres);
        var dir = TempFolder.Create("env-postgres");
        var (exit, _, errors) = await RunAsync(new Dictionary<string, string>
        {
            ["Tandem__DataDir"] = dir,
            ["Tandem__Database__Provider"] = "postgres",
            ["Tandem__Database__ConnectionString"] = connectionString,
        }, "db", "migrate");
        Assert.True(exit == 0, errors);

        await using var connection = new NpgsqlConnection(connectionString);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations") > 0);
        Assert.False(File.Exists(Path.Combine(dir, "tandem.db")), "nothing should have gone to SQLite");
    }

    [Fact]
    public async Task Serve_takes_its_request_body_limit_from_the_environment()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = TempFolder.Create("env-serve");
        var environment = new Dictionary<string, string> { ["Tandem__DataDir"] = dir, ["Tandem__MaxRequestBodyBytes"] = "2000" };
        var (_, output, _) = await RunAsync(environment, "keys", "create", "--name", "ops", "--scope", "write");
        var key = output.TrimEnd().Split('\n')[^1].Trim();
        var port = FreePort();
        using var serve = Process.Start(Tandem(environment, "serve", "--urls", $"http://127.0.0.1:{port}"))!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Poll.UntilAsync(async () =>
            {
                try { return (await http.GetAsync("/healthz", ct)).StatusCode == HttpStatusCode.OK; }
                catch (HttpRequestException) { return false; }
            }, "the server answers /healthz");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            var small = await http.PostAsync("/api/v1/people", Json("""{"email":"small@acme.io"}"""), ct);
            Assert.Equal(HttpStatusCode.Created, small.StatusCode);
            var large = await http.PostAsync("/api/v1/people", Json($$"""{"email":"large@acme.io","title":"{{new string('x', 3000)}}"}"""), ct);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
