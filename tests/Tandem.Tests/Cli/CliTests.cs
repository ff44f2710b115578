using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Cli;

/// <summary>The tandem command line, run as a separate process the way an operator runs it.</summary>
public class CliTests
{
    private static Task<(int Exit, string Out, string Err)> TandemAsync(params string[] args) => TandemProcess.RunAsync(args);

    [Fact]
    public async Task Keys_create_prints_the_key_alone_on_the_last_line_and_the_server_accepts_it()
    {
        await using var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite);
        var (exit, output, errors) = await TandemAsync("keys", "create", "--name", "crm sync", "--scope", "read", "write",
            "--data-dir", server.DataDir);
        Assert.True(exit == 0, errors);
        // The server under test uses an explicit connection string; the CLI with --data-dir uses that folder's tandem.db.
        var key = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.Matches("^tdm_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$", key);

        var (listExit, list, _) = await TandemAsync("keys", "list", "--data-dir", server.DataDir);
        Assert.Equal(0, listExit);
        Assert.Contains("crm sync", list);
        Assert.DoesNotContain(key, list);
    }

    [Fact]
    public async Task Db_migrate_creates_then_leaves_an_up_to_date_database_alone()
    {
        var dir = TempFolder.Create("cli-migrate");
        var (first, out1, err1) = await TandemAsync("db", "migrate", "--data-dir", dir);
        var (second, out2, _) = await TandemAsync("db", "migrate", "--data-dir", dir);
        Assert.True(first == 0, err1);
        Assert.Contains("applied 0001_foundation", out1);
        Assert.Equal(0, second);
        Assert.Contains("0 migration(s) applied", out2);
        Assert.True(File.Exists(Path.Combine(dir, "tandem.db")));
    }

    [Fact]
    public async Task Unknown_scope_is_refused()
    {
        var (exit, _, errors) = await TandemAsync("keys", "create", "--name", "x", "--scope", "superuser", "--data-dir", TempFolder.Create("cli"));
        Assert.NotEqual(0, exit);
        Assert.Contains("superuser", errors);
    }

    [Fact]
    public async Task Serve_answers_healthz_and_a_key_made_by_the_cli_works_against_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = TempFolder.Create("cli-serve");
        var (_, output, _) = await TandemAsync("keys", "create", "--name", "ops", "--scope", "read", "--data-dir", dir);
        var key = output.TrimEnd().Split('\n')[^1].Trim();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tandem.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", dir])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var serve = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Poll.UntilAsync(async () =>
            {
                try { return (await http.GetAsync("/healthz", ct)).StatusCode == HttpStatusCode.OK; }
                catch (HttpRequestException) { return false; }
            }, "the server answers /healthz");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/people", ct)).StatusCode);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
