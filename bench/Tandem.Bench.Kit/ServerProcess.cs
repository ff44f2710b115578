using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Bench.Kit;

/// <summary>
/// A Tandem server in its own process (<c>dotnet .build/tandem/tandem.dll serve</c>, as <c>./tandem</c> runs it)
/// on a free loopback port with its own data folder and database, so load generated here competes with
/// the server for the machine exactly as a real client would, and never shares its process.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];

    private ServerProcess(Process process, string baseUrl, string dataDir, Database database)
    {
        this.process = process;
        BaseUrl = baseUrl;
        DataDir = dataDir;
        Database = database;
    }

    public string BaseUrl { get; }
    public string DataDir { get; }

    /// <summary>The server's database, for setting up keys and reading results after a run.</summary>
    public Database Database { get; }

    /// <summary>Resident memory of the server process now, in MiB.</summary>
    public double ResidentMiB { get { process.Refresh(); return process.WorkingSet64 / 1048576.0; } }

    /// <summary>CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime { get { process.Refresh(); return process.TotalProcessorTime; } }

    /// <param name="settings">Configuration for this server, as environment variables (<c>Tandem__Email__Smtp__Host</c>).</param>
    public static async Task<ServerProcess> StartAsync(BenchTarget target, string purpose, IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = RepoRoot.Find();
        var dll = await EnsureBuiltAsync(root);
        var dataDir = Path.Combine(Path.GetTempPath(), "tandem-bench", $"{purpose}-{target.Name}-{Guid.NewGuid().ToString("N")[..12]}");
        var connectionString = await target.CreateEmptyDatabaseAsync(dataDir, "tandem");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        start.Environment["Tandem__Database__Provider"] = target.Name;
        start.Environment["Tandem__Database__ConnectionString"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The benchmarks measure throughput from one address and key; the abuse limits would measure themselves.
        start.Environment["Tandem__RateLimits__SignInPerMinute"] = "0";
        start.Environment["Tandem__RateLimits__PublicFormsPerMinute"] = "0";
        start.Environment["Tandem__RateLimits__TrackingPerSecond"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Tandem server.");
        var server = new ServerProcess(process, $"http://127.0.0.1:{port}", dataDir, new Database(target.Provider, connectionString));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>Creates an API key straight in the server's database (the secret is only ever shown at creation).</summary>
    public async Task<string> CreateKeyAsync(params string[] scopes) =>
        (await new ApiKeyStore(Database, TimeProvider.System).CreateAsync("benchmark", scopes)).Key;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } // a lingering file handle; /tmp is cleaned anyway
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (output) { output.Add(line); if (output.Count > 200) output.RemoveAt(0); }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited) break;
            try
            {
                if ((await http.GetAsync(BaseUrl + "/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        string log;
        lock (output) log = string.Join(Environment.NewLine, output);
        throw new InvalidOperationException($"The Tandem server did not become healthy at {BaseUrl}.{Environment.NewLine}{log}");
    }

    /// <summary>Builds the server the way ./tandem does (only when its sources changed) and returns its dll.</summary>
    private static async Task<string> EnsureBuiltAsync(string root)
    {
        var dll = Path.Combine(root, ".build", "tandem", "tandem.dll");
        if (Environment.GetEnvironmentVariable("TANDEM_BENCH_SKIP_BUILD") == "1" && File.Exists(dll)) return dll;
        var build = Process.Start(new ProcessStartInfo(Path.Combine(root, "tandem"), "--help")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root,
        })!;
        var stderr = build.StandardError.ReadToEndAsync();
        await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0 || !File.Exists(dll))
            throw new InvalidOperationException($"Building the Tandem server failed:{Environment.NewLine}{await stderr}");
        return dll;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
