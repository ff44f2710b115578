using System.Diagnostics;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Cli;

/// <summary>An operator revokes a leaked key from the command line; from then on it opens nothing.</summary>
public class KeyRevocationCliTests
{
    private static async Task<(int Exit, string Out)> TandemAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tandem.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output);
    }

    [Fact]
    public async Task Keys_revoke_by_prefix_stops_the_key_and_list_shows_it_revoked()
    {
        var dir = TempFolder.Create("cli-revoke");
        var (_, created) = await TandemAsync("keys", "create", "--name", "leaked", "--scope", "read", "--data-dir", dir);
        var key = created.TrimEnd().Split('\n')[^1].Trim();
        var (_, kept) = await TandemAsync("keys", "create", "--name", "kept", "--scope", "read", "--data-dir", dir);
        var keptKey = kept.TrimEnd().Split('\n')[^1].Trim();
        var prefix = key.Split('_')[1];

        var (exit, revoked) = await TandemAsync("keys", "revoke", prefix, "--data-dir", dir);
        Assert.Equal(0, exit);
        Assert.Contains("revoked", revoked);

        var store = new ApiKeyStore(new Database(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dir, "tandem.db")}"), TimeProvider.System);
        Assert.Null(await store.VerifyAsync(key, TestContext.Current.CancellationToken));
        Assert.NotNull(await store.VerifyAsync(keptKey, TestContext.Current.CancellationToken));
        var (_, list) = await TandemAsync("keys", "list", "--data-dir", dir);
        Assert.Contains(list.Split('\n'), line => line.Contains(prefix) && line.Contains("revoked"));

        var (againExit, again) = await TandemAsync("keys", "revoke", prefix, "--data-dir", dir);
        Assert.NotEqual(0, againExit);
        Assert.Contains("no active key matches", again);
    }
}
