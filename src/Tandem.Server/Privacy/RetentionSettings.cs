using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Audit;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Privacy;

/// <summary>How many days each kind of record is kept; null keeps it for ever (the default).</summary>
/// <param name="ActivitiesDays">Activities (page views, form submissions, emails, calls…) by when they happened.</param>
/// <param name="DeliveryLogsDays">Notification deliveries and their attempts (webhooks, emails to reps), and the notifications they delivered.</param>
/// <param name="ImportErrorsDays">The error rows of an import, counted from when the import finished.</param>
internal sealed record RetentionPolicy(int? ActivitiesDays, int? DeliveryLogsDays, int? ImportErrorsDays)
{
    public const int MaxDays = 36500;

    public static readonly RetentionPolicy KeepForever = new(null, null, null);

    [JsonIgnore] public bool KeepsEverything => ActivitiesDays is null && DeliveryLogsDays is null && ImportErrorsDays is null;

    /// <summary>Field errors named as the API names the fields; empty when valid.</summary>
    public Validation Validate()
    {
        var v = new Validation();
        foreach (var (days, field) in new[] { (ActivitiesDays, "activitiesDays"), (DeliveryLogsDays, "deliveryLogsDays"), (ImportErrorsDays, "importErrorsDays") })
            if (days is < 1 or > MaxDays) v.Add(field, $"Give a number of days from 1 to {MaxDays}, or null to keep for ever.");
        return v;
    }
}

/// <summary>GET and PUT /api/v1/settings/retention (and the admin Privacy page): the retention policy, kept in workspace_settings.</summary>
internal static class RetentionSettings
{
    private const string Key = "privacy.retention";

    public static async Task<RetentionPolicy> ReadAsync(DbConnection c, DbTransaction? tx) =>
        Json.Read(await c.QuerySingleOrDefaultAsync<string>("SELECT value FROM workspace_settings WHERE key = @Key", new { Key }, tx),
            RetentionPolicy.KeepForever);

    /// <summary>Saves the policy and its audit entry in one transaction.</summary>
    public static Task SaveAsync(Database db, RetentionPolicy policy, TimeProvider clock, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var before = await ReadAsync(c, tx);
        await c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES (@Key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { Key, value = Json.Write(policy) }, tx);
        if (before != policy)
            await AuditLog.WriteAsync(c, tx, clock.GetUtcNow().ToUnixTimeMilliseconds(), "settings.retention.changed", "retention",
                new { policy.ActivitiesDays, policy.DeliveryLogsDays, policy.ImportErrorsDays });
    }, ct);

    public static async Task<Ok<RetentionPolicy>> Get(Database db, CancellationToken ct) =>
        TypedResults.Ok(await db.ReadAsync(c => ReadAsync(c, null), ct));

    public static async Task<Results<Ok<RetentionPolicy>, ValidationProblem>> Put(RetentionPolicy policy, Database db, TimeProvider clock, CancellationToken ct)
    {
        if (policy.Validate() is { IsValid: false } v) return v.ToProblem();
        await SaveAsync(db, policy, clock, ct);
        return TypedResults.Ok(policy);
    }
}
