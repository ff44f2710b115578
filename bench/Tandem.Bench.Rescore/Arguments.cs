using Tandem.Server.Storage;

namespace Tandem.Bench.Rescore;

internal sealed record Arguments(long People, long Events, string? Postgres, string Out, double TargetSeconds, string WorkDir, string? Reuse)
{
    public static Arguments Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var quick = args.Contains("--quick");
        var people = long.Parse(Value("--people") ?? (quick ? "20000" : "1000000"));
        var events = long.Parse(Value("--events") ?? (people * 20).ToString());
        var work = Path.Combine(Path.GetTempPath(), "tandem-bench-rescore-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        return new Arguments(people, events, Value("--postgres") ?? Environment.GetEnvironmentVariable("TANDEM_BENCH_POSTGRES"),
            Value("--out") ?? Path.Combine("bench", "results"), 10, work, Value("--reuse"));
    }

    public IEnumerable<(DatabaseProvider Provider, string ConnectionString)> Databases()
    {
        yield return (DatabaseProvider.Sqlite, $"Data Source={Path.Combine(WorkDir, "rescore.db")}");
        if (!string.IsNullOrWhiteSpace(Postgres)) yield return (DatabaseProvider.Postgres, Workload.PostgresDatabase(Postgres));
    }
}
