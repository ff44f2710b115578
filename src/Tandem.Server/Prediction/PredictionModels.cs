using System.Data.Common;
using Dapper;
using Tandem.Domain.Prediction;
using Tandem.Server.Storage;

namespace Tandem.Server.Prediction;

/// <summary>Cross-validated figures: the model's and the rules model's AUC in each fold.</summary>
internal sealed record CrossValidation(int Folds, IReadOnlyList<double> Auc, double MeanAuc, IReadOnlyList<double> RulesAuc, double MeanRulesAuc);

/// <summary>A field's weight in the model: the mean size of its contribution over the holdout, in raw score.</summary>
internal sealed record FeatureImportance(string Field, string Label, double Importance);

/// <summary>The figures a model was judged by, stored with it as JSON.</summary>
internal sealed record TrainingReport(
    int Positives, int Negatives, int Open, int TrainingPeople, int HoldoutPeople, bool TimeOrdered, double BaseRate,
    Evaluation Holdout, Evaluation RulesHoldout, long? ComparedWithVersion, double? ComparedAuc, CrossValidation? CrossValidation,
    IReadOnlyList<FeatureImportance> TopFeatures, double CalibratorSlope, double CalibratorOffset);

/// <summary>A stored model version without its bytes.</summary>
internal sealed record ModelInfo(long Version, DateTimeOffset CreatedAt, string CreatedBy, string TargetStage, int MaturationDays,
    DateTimeOffset WindowFrom, DateTimeOffset WindowTo, bool Active, DateTimeOffset? ActivatedAt, string Verdict, IReadOnlyList<string> Features,
    TrainingReport Report);

/// <summary>The active model, ready to predict: its schema, its learner, the base rate reasons are measured from.</summary>
internal sealed record ActiveModel(long Version, FeatureSchema Schema, ConversionLearner Learner, double BaseRate)
{
    public double RawAtBase { get; } = Learner.RawAt(BaseRate);
}

/// <summary>The versions of the conversion model: store, list, read, activate (and roll back); the active one is cached by version.</summary>
internal sealed class PredictionModels
{
    private sealed class Row
    {
        public long Version { get; set; }
        public long CreatedAt { get; set; }
        public string CreatedBy { get; set; } = "";
        public string TargetStage { get; set; } = "";
        public long MaturationDays { get; set; }
        public long WindowFrom { get; set; }
        public long WindowTo { get; set; }
        public string Features { get; set; } = "";
        public string Metrics { get; set; } = "";
        public long Active { get; set; }
        public long? ActivatedAt { get; set; }
        public string Verdict { get; set; } = "";
    }

    private const string Columns = "version, created_at, created_by, target_stage, maturation_days, window_from, window_to, features, metrics, active, activated_at, verdict";

    private readonly Lock gate = new();
    private ActiveModel? cached;

    public async Task<long> InsertAsync(DbConnection c, DbTransaction tx, long now, string by, string target, int maturationDays, long windowFrom, long windowTo,
        FeatureSchema schema, TrainingReport report, byte[] model, string verdict) =>
        await c.ExecuteScalarAsync<long>(
            "INSERT INTO prediction_models (created_at, created_by, target_stage, maturation_days, window_from, window_to, features, metrics, model, active, verdict) " +
            "VALUES (@now, @by, @target, @maturationDays, @windowFrom, @windowTo, @features, @metrics, @model, 0, @verdict) RETURNING version",
            new { now, by, target, maturationDays = (long)maturationDays, windowFrom, windowTo, features = Json.Write(schema), metrics = Json.Write(report), model, verdict }, tx);

    /// <summary>Makes one version the active one (the others inactive).</summary>
    public static async Task ActivateAsync(DbConnection c, DbTransaction tx, long version, long now)
    {
        await c.ExecuteAsync("UPDATE prediction_models SET active = 0 WHERE active = 1 AND version <> @version", new { version }, tx);
        await c.ExecuteAsync("UPDATE prediction_models SET active = 1, activated_at = @now WHERE version = @version AND active = 0", new { version, now }, tx);
    }

    public async Task<IReadOnlyList<ModelInfo>> ListAsync(DbConnection c, DbTransaction? tx = null) =>
        (await c.QueryAsync<Row>($"SELECT {Columns} FROM prediction_models ORDER BY version DESC", transaction: tx)).Select(ToInfo).ToList();

    public async Task<ModelInfo?> GetAsync(DbConnection c, long version, DbTransaction? tx = null) =>
        (await c.QueryAsync<Row>($"SELECT {Columns} FROM prediction_models WHERE version = @version", new { version }, tx)).Select(ToInfo).FirstOrDefault();

    /// <summary>The active model, loaded once per version.</summary>
    public async Task<ActiveModel?> ActiveAsync(DbConnection c, DbTransaction? tx = null)
    {
        var version = await TransactionMemo.GetAsync(tx, "prediction.active_version", () =>
            c.ExecuteScalarAsync<long?>("SELECT version FROM prediction_models WHERE active = 1", transaction: tx));
        if (version is null) return null;
        lock (gate) if (cached?.Version == version) return cached;
        var row = (await c.QueryAsync<Row>($"SELECT {Columns} FROM prediction_models WHERE version = @version", new { version }, tx)).Single();
        var bytes = await c.ExecuteScalarAsync<byte[]>("SELECT model FROM prediction_models WHERE version = @version", new { version }, tx);
        var active = Materialize(row, bytes!);
        lock (gate) cached = active;
        return active;
    }

    /// <summary>Any version ready to predict (to judge the active one on a new holdout, say).</summary>
    public async Task<ActiveModel?> LoadAsync(DbConnection c, long version, DbTransaction? tx = null)
    {
        var row = (await c.QueryAsync<Row>($"SELECT {Columns} FROM prediction_models WHERE version = @version", new { version }, tx)).FirstOrDefault();
        if (row is null) return null;
        var bytes = await c.ExecuteScalarAsync<byte[]>("SELECT model FROM prediction_models WHERE version = @version", new { version }, tx);
        return Materialize(row, bytes!);
    }

    private static ActiveModel Materialize(Row row, byte[] bytes)
    {
        var schema = Json.Read<FeatureSchema?>(row.Features, null)!;
        var report = Json.Read<TrainingReport?>(row.Metrics, null)!;
        return new ActiveModel(row.Version, schema, ConversionLearner.Load(bytes, schema.Width, (report.CalibratorSlope, report.CalibratorOffset)), report.BaseRate);
    }

    private static ModelInfo ToInfo(Row r)
    {
        var schema = Json.Read<FeatureSchema?>(r.Features, null)!;
        return new ModelInfo(r.Version, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), r.CreatedBy, r.TargetStage, (int)r.MaturationDays,
            DateTimeOffset.FromUnixTimeMilliseconds(r.WindowFrom), DateTimeOffset.FromUnixTimeMilliseconds(r.WindowTo), r.Active == 1,
            r.ActivatedAt is { } a ? DateTimeOffset.FromUnixTimeMilliseconds(a) : null, r.Verdict, schema.Groups, Json.Read<TrainingReport?>(r.Metrics, null)!);
    }
}
