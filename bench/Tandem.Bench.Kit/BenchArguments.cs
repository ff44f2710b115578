namespace Tandem.Bench.Kit;

/// <summary>
/// The arguments every benchmark takes: <c>[--postgres CONNSTR] [--out DIR] [--quick]</c>.
/// Without --postgres a benchmark runs on SQLite only; TANDEM_BENCH_POSTGRES (set by bench/run) is the fallback.
/// </summary>
public sealed record BenchArguments(string? Postgres, string OutDir, bool Quick)
{
    public const string PostgresVariable = "TANDEM_BENCH_POSTGRES";

    public static BenchArguments Parse(string[] args)
    {
        string? postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var outDir = Path.Combine(RepoRoot.Find(), "bench", "results");
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--postgres": postgres = Value(args, ref i); break;
                case "--out": outDir = Path.GetFullPath(Value(args, ref i)); break;
                case "--quick": quick = true; break;
                case "--help" or "-h":
                    Console.WriteLine("usage: [--postgres CONNSTR] [--out DIR] [--quick]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. Use [--postgres CONNSTR] [--out DIR] [--quick].");
            }
        }
        return new BenchArguments(string.IsNullOrWhiteSpace(postgres) ? null : postgres, outDir, quick);
    }

    /// <summary>The storage engines to run on: SQLite always, PostgreSQL when a server was given.</summary>
    public IEnumerable<BenchTarget> Targets()
    {
        yield return BenchTarget.Sqlite;
        if (Postgres is not null) yield return BenchTarget.OnPostgres(Postgres);
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}

public static class RepoRoot
{
    /// <summary>The folder holding Tandem.slnx, found upwards from the working directory or the binary.</summary>
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Tandem.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Run the benchmark from inside the Tandem repository (Tandem.slnx not found).");
    }
}
