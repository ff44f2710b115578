using Tandem.Domain.Lifecycle;
using Tandem.Server.Storage;

namespace Tandem.Server.Hosting;

/// <summary>Settings under "Tandem" in appsettings.json or Tandem__* environment variables.</summary>
internal sealed class TandemOptions
{
    public const string Section = "Tandem";

    /// <summary>Folder for the embedded database and other local state.</summary>
    public string DataDir { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Largest request body accepted, in bytes; larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public LifecycleOptions Lifecycle { get; set; } = new();

    /// <summary>Seed the demo workspace on first start.</summary>
    public bool Demo { get; set; }

    public ScoringOptions Scoring { get; set; } = new();

    /// <summary>How many people the demo workspace is seeded with.</summary>
    public int DemoPeople { get; set; } = 3000;

    public string ResolveConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(Database.ConnectionString)) return Database.ConnectionString;
        if (Database.ParsedProvider == DatabaseProvider.Postgres)
            throw new InvalidOperationException("Tandem:Database:ConnectionString is required when the provider is postgres.");
        Directory.CreateDirectory(DataDir);
        return $"Data Source={Path.Combine(Path.GetFullPath(DataDir), "tandem.db")}";
    }

    public Database CreateDatabase() => new(Database.ParsedProvider, ResolveConnectionString(), Database.ParsedSqliteSynchronous);
}

internal sealed class LifecycleOptions
{
    /// <summary>The stage a newly captured person starts in.</summary>
    public string InitialStage { get; set; } = nameof(Stage.Lead);

    /// <summary>Allowed reason codes per side stage; replaces the defaults for a stage when set.</summary>
    public Dictionary<string, List<string>> ReasonCodes { get; set; } = new();

    public Stage ParsedInitialStage =>
        Stages.TryParse(InitialStage, out var s) ? s : throw new InvalidOperationException($"Unknown initial stage '{InitialStage}'.");

    public ReasonCodes ToReasonCodes()
    {
        var codes = new Dictionary<Stage, IReadOnlyList<string>>
        {
            [Stage.Recycled] = Domain.Lifecycle.ReasonCodes.Default.For(Stage.Recycled),
            [Stage.Disqualified] = Domain.Lifecycle.ReasonCodes.Default.For(Stage.Disqualified),
        };
        foreach (var (stage, list) in ReasonCodes)
            if (Stages.TryParse(stage, out var s) && list.Count > 0) codes[s] = list;
        return new ReasonCodes(codes);
    }
}

internal sealed class ScoringOptions
{
    /// <summary>How often stored engagement is carried forward through decay, in minutes.</summary>
    public int DecayRefreshMinutes { get; set; } = 15;
}
