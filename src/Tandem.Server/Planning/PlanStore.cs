using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Planning;

internal sealed class PlanRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string PeriodKind { get; set; } = "";
    public long StartsAt { get; set; }
    public long EndsAt { get; set; }
    public long Active { get; set; } = 1;
    public string Definition { get; set; } = "{}";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    public PlanRequest Request => Json.Read(Definition, new PlanRequest(Name, PeriodKind, null, null, null, null, null, null, null, null, null, null));

    public static PlanRow From(PlanRequest tidy, long now, string by)
    {
        var period = tidy.PlanPeriod;
        return new PlanRow
        {
            Name = tidy.Name!, PeriodKind = tidy.Period!, StartsAt = period.StartsAt.ToUnixTimeMilliseconds(), EndsAt = period.EndsAt.ToUnixTimeMilliseconds(),
            Active = tidy.Active is false ? 0 : 1, Definition = Json.Write(tidy), CreatedAt = now, UpdatedAt = now, UpdatedBy = by,
        };
    }
}

/// <summary>The plans table: one row per plan, its inputs as JSON (see <see cref="PlanRequest"/>).</summary>
internal static class PlanStore
{
    public static Task<PlanRow?> GetAsync(DbConnection c, long id, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<PlanRow>("SELECT * FROM plans WHERE id = @id", new { id }, tx);

    public static async Task<IReadOnlyList<PlanRow>> ListAsync(DbConnection c) =>
        (await c.QueryAsync<PlanRow>("SELECT * FROM plans ORDER BY starts_at DESC, id DESC")).ToList();

    /// <summary>
    /// The active plans whose period covers the instant, the most specific first (a month's plan before its quarter's,
    /// a quarter's before its year's), then the latest changed.
    /// </summary>
    public static async Task<IReadOnlyList<PlanRow>> ActiveAtAsync(DbConnection c, long at, DbTransaction? tx = null) =>
        (await c.QueryAsync<PlanRow>("SELECT * FROM plans WHERE active = 1 AND starts_at <= @at AND ends_at > @at ORDER BY ends_at - starts_at, updated_at DESC, id DESC",
            new { at }, tx)).ToList();

    public static Task<bool> NameTakenAsync(DbConnection c, DbTransaction tx, string name, long exceptId) =>
        c.ExecuteScalarAsync<bool>("SELECT COUNT(*) > 0 FROM plans WHERE LOWER(name) = LOWER(@name) AND id <> @exceptId", new { name, exceptId }, tx);

    public static Task<long> InsertAsync(DbConnection c, DbTransaction tx, PlanRow row) => c.ExecuteScalarAsync<long>(
        "INSERT INTO plans (name, period_kind, starts_at, ends_at, active, definition, created_at, updated_at, updated_by) " +
        "VALUES (@Name, @PeriodKind, @StartsAt, @EndsAt, @Active, @Definition, @CreatedAt, @UpdatedAt, @UpdatedBy) RETURNING id", row, tx);

    public static Task<int> UpdateAsync(DbConnection c, DbTransaction tx, PlanRow row) => c.ExecuteAsync(
        "UPDATE plans SET name = @Name, period_kind = @PeriodKind, starts_at = @StartsAt, ends_at = @EndsAt, active = @Active, definition = @Definition, " +
        "updated_at = @UpdatedAt, updated_by = @UpdatedBy WHERE id = @Id", row, tx);

    public static async Task<bool> DeleteAsync(DbConnection c, DbTransaction tx, long id)
    {
        await c.ExecuteAsync("DELETE FROM plan_pace_alerts WHERE plan_id = @id", new { id }, tx);
        return await c.ExecuteAsync("DELETE FROM plans WHERE id = @id", new { id }, tx) > 0;
    }
}
