using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Scoring;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Scoring;

/// <summary>
/// The versions of the scoring model, and the active one. A published version is never edited; a change
/// is a new version. The active version is a workspace setting, so every server sharing the database agrees.
/// </summary>
internal sealed class ScoringModels(Database db, TimeProvider clock)
{
    public const string ActiveSetting = "scoring.active_version";
    private volatile CompiledModel? cached;

    public sealed record Version(long Number, string Name, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? PublishedAt, bool Active);

    public static ScoringModel Parse(string json) =>
        JsonSerializer.Deserialize<ScoringModel>(json, Json.Options) ?? throw new JsonException("The model is empty.");

    /// <summary>The active model as of this transaction, or null when none was ever published.</summary>
    public async Task<CompiledModel?> ActiveAsync(DbConnection c, DbTransaction? tx)
    {
        var active = await TransactionMemo.GetAsync(tx, ActiveSetting, () =>
            c.QuerySingleOrDefaultAsync<string>("SELECT value FROM workspace_settings WHERE key = @ActiveSetting", new { ActiveSetting }, tx));
        if (active is null || !long.TryParse(active, out var version)) return null;
        var current = cached;
        if (current?.Version == version) return current;
        var definition = await c.QuerySingleAsync<string>("SELECT definition FROM scoring_models WHERE version = @version", new { version }, tx);
        return cached = new CompiledModel(version, Parse(definition));
    }

    public Task<CompiledModel?> ActiveAsync(CancellationToken ct = default) => db.ReadAsync(c => ActiveAsync(c, null), ct);

    public Task<(ScoringModel Model, Version Info)?> GetAsync(long version, CancellationToken ct = default) =>
        db.ReadAsync<(ScoringModel, Version)?>(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<ModelRow>("SELECT * FROM scoring_models WHERE version = @version", new { version });
            if (row is null) return null;
            var active = await ActiveVersionAsync(c, null);
            return (Parse(row.Definition), row.ToVersion(active));
        }, ct);

    public Task<IReadOnlyList<Version>> ListAsync(CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<Version>>(async c =>
        {
            var active = await ActiveVersionAsync(c, null);
            return (await c.QueryAsync<ModelRow>("SELECT * FROM scoring_models ORDER BY version DESC")).Select(r => r.ToVersion(active)).ToList();
        }, ct);

    /// <summary>Stores a new version and makes it active, in the caller's transaction. Re-scoring is the caller's next step.</summary>
    public async Task<long> PublishAsync(DbConnection c, DbTransaction tx, ScoringModel model, string by)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var version = await c.ExecuteScalarAsync<long>(
            "INSERT INTO scoring_models (name, definition, created_at, created_by, published_at) VALUES (@Name, @definition, @now, @by, @now) RETURNING version",
            new { model.Name, definition = JsonSerializer.Serialize(model, Json.Options), now, by }, tx);
        await c.ExecuteAsync(
            "INSERT INTO workspace_settings (key, value) VALUES (@ActiveSetting, @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { ActiveSetting, v = version.ToString() }, tx);
        await AuditLog.WriteAsync(c, tx, now, "settings.scoring.published", $"version {version}", new { model.Name, by });
        return version;
    }

    private static async Task<long?> ActiveVersionAsync(DbConnection c, DbTransaction? tx) =>
        long.TryParse(await c.QuerySingleOrDefaultAsync<string>("SELECT value FROM workspace_settings WHERE key = @ActiveSetting", new { ActiveSetting }, tx), out var v) ? v : null;

    /// <summary>The models that ship with Tandem (Scoring/Models/*.json).</summary>
    public static ScoringModel BuiltIn(string name)
    {
        var assembly = typeof(ScoringModels).Assembly;
        using var stream = assembly.GetManifestResourceStream($"scoring-models/{name}.json")
            ?? throw new ArgumentException($"No built-in scoring model '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private sealed class ModelRow
    {
        public long Version { get; set; }
        public string Name { get; set; } = "";
        public string Definition { get; set; } = "";
        public long CreatedAt { get; set; }
        public string CreatedBy { get; set; } = "";
        public long? PublishedAt { get; set; }

        public Version ToVersion(long? active) => new(Version, Name, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), CreatedBy,
            PublishedAt is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p) : null, active == Version);
    }
}
