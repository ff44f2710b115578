using System.Data.Common;
using Dapper;
using Tandem.Domain.Routing;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>Routing rules as stored: conditions are a JSON array of {field, operator, values}.</summary>
internal sealed class RuleRow
{
    public long Id { get; set; }
    public long Position { get; set; }
    public string Name { get; set; } = "";
    public string Conditions { get; set; } = "[]";
    public long TeamId { get; set; }
    public string Method { get; set; } = nameof(DistributionMethod.RoundRobin);
    public long RespectWorkingHours { get; set; }
    public long Active { get; set; } = 1;
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public RoutingRule ToRule() => new(Id, (int)Position, Name, Json.Read(Conditions, new List<Condition>()), TeamId,
        Enum.Parse<DistributionMethod>(Method), RespectWorkingHours != 0);
}

internal static class RuleStore
{
    public static async Task<IReadOnlyList<RuleRow>> ListAsync(DbConnection c, DbTransaction? tx, bool activeOnly) =>
        (await c.QueryAsync<RuleRow>(
            "SELECT * FROM routing_rules" + (activeOnly ? " WHERE active = 1" : "") + " ORDER BY position, id", transaction: tx)).ToList();

    public static Task<RuleRow?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<RuleRow>("SELECT * FROM routing_rules WHERE id = @id", new { id }, tx);

    public static Task<long> InsertAsync(DbConnection c, DbTransaction tx, RuleRow row) =>
        c.ExecuteScalarAsync<long>(
            "INSERT INTO routing_rules (position, name, conditions, team_id, method, respect_working_hours, active, created_at, updated_at) " +
            "VALUES (@Position, @Name, @Conditions, @TeamId, @Method, @RespectWorkingHours, @Active, @CreatedAt, @UpdatedAt) RETURNING id", row, tx);

    public static Task UpdateAsync(DbConnection c, DbTransaction tx, RuleRow row) =>
        c.ExecuteAsync(
            "UPDATE routing_rules SET position = @Position, name = @Name, conditions = @Conditions, team_id = @TeamId, method = @Method, " +
            "respect_working_hours = @RespectWorkingHours, active = @Active, updated_at = @UpdatedAt WHERE id = @Id", row, tx);
}
