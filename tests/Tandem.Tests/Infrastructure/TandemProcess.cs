using System.Diagnostics;
using Tandem.Server.Storage;

namespace Tandem.Tests.Infrastructure;

/// <summary>Runs the tandem command line as a separate process, the way an operator does.</summary>
public static class TandemProcess
{
    public static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <param name="environment">Variables to set, such as Tandem__Database__ConnectionString.</param>
    public static Task<(int Exit, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(environment, stdin: null, args);

    /// <summary>A command against one database, with <paramref name="stdin"/> typed in as its answer (a password, a "yes").</summary>
    public static Task<(int Exit, string Out, string Err)> RunOnAsync(DatabaseProvider provider, string connectionString, string? stdin, params string[] args) =>
        RunAsync(new Dictionary<string, string>
        {
            ["Tandem__Database__Provider"] = provider.ToString(),
            ["Tandem__Database__ConnectionString"] = connectionString,
        }, stdin, args);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string> environment, string? stdin, string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tandem.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await errors);
    }
}
