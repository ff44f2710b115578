using Dapper;
using Tandem.Domain.Capture;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Sla;

internal sealed class CommitmentRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public long MinimumMqlsPerMonth { get; set; }
    public long MinimumAcceptancePercent { get; set; }
    public string Sources { get; set; } = "[]";
    public long Active { get; set; } = 1;
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public List<string> SourceList => Json.Read(Sources, new List<string>());

    public CommitmentDto ToDto() => new(Id, Name, (int)MinimumMqlsPerMonth, (int)MinimumAcceptancePercent, SourceList, Active != 0,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}

/// <param name="Sources">First-touch channels the commitment counts (Paid Search, Events…); empty means every MQL.</param>
internal sealed record CommitmentDto(long Id, string Name, int MinimumMqlsPerMonth, int MinimumAcceptancePercent, IReadOnlyList<string> Sources,
    bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>/api/v1/sla/commitments: marketing's side of the agreement, "at least N MQLs a month with at least X% accepted".</summary>
internal static class ManageCommitments
{
    public sealed record Request(string? Name, int? MinimumMqlsPerMonth, int? MinimumAcceptancePercent, List<string>? Sources, bool? Active);

    public static async Task<Results<Created<CommitmentDto>, ValidationProblem>> Create(Request request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new CommitmentRow { CreatedAt = now, UpdatedAt = now };
        if (Validate(request, row) is { IsValid: false } v) return v.ToProblem();
        var id = await db.WriteAsync<long?>(async (c, tx) =>
        {
            if (await NameTakenAsync(c, tx, row.Name, 0)) return null;
            var created = await c.ExecuteScalarAsync<long>(
                "INSERT INTO sla_marketing_commitments (name, minimum_mqls_per_month, minimum_acceptance_percent, sources, active, created_at, updated_at) " +
                "VALUES (@Name, @MinimumMqlsPerMonth, @MinimumAcceptancePercent, @Sources, @Active, @CreatedAt, @UpdatedAt) RETURNING id", row, tx);
            await AuditLog.WriteAsync(c, tx, now, "settings.sla.commitment_created", $"commitment {created}", request);
            return created;
        }, ct);
        if (id is null) return Problems.Field("name", $"Another commitment is already called '{row.Name}'.");
        row.Id = id.Value;
        return TypedResults.Created($"/api/v1/sla/commitments/{row.Id}", row.ToDto());
    }

    public static async Task<Results<Ok<CommitmentDto>, ValidationProblem, ProblemHttpResult>> Replace(long id, Request request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var row = new CommitmentRow { Id = id, UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        if (Validate(request, row) is { IsValid: false } v) return v.ToProblem();
        var outcome = await db.WriteAsync<int>(async (c, tx) =>
        {
            var existing = await c.QuerySingleOrDefaultAsync<CommitmentRow>("SELECT * FROM sla_marketing_commitments WHERE id = @id", new { id }, tx);
            if (existing is null) return 404;
            if (await NameTakenAsync(c, tx, row.Name, id)) return 400;
            row.CreatedAt = existing.CreatedAt;
            await c.ExecuteAsync("UPDATE sla_marketing_commitments SET name = @Name, minimum_mqls_per_month = @MinimumMqlsPerMonth, " +
                                 "minimum_acceptance_percent = @MinimumAcceptancePercent, sources = @Sources, active = @Active, updated_at = @UpdatedAt WHERE id = @Id", row, tx);
            await AuditLog.WriteAsync(c, tx, row.UpdatedAt, "settings.sla.commitment_changed", $"commitment {id}", request);
            return 200;
        }, ct);
        return outcome switch
        {
            404 => Problems.NotFound("Commitment", id),
            400 => Problems.Field("name", $"Another commitment is already called '{row.Name}'."),
            _ => TypedResults.Ok(row.ToDto()),
        };
    }

    public static async Task<Ok<IReadOnlyList<CommitmentDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<CommitmentDto>>((await db.ReadAsync(c => c.QueryAsync<CommitmentRow>("SELECT * FROM sla_marketing_commitments ORDER BY id"), ct))
            .Select(r => r.ToDto()).ToList());

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, Database db, CancellationToken ct) =>
        await db.WriteAsync(async (c, tx) =>
        {
            var deleted = await c.ExecuteAsync("DELETE FROM sla_marketing_commitments WHERE id = @id", new { id }, tx);
            if (deleted > 0) await AuditLog.WriteAsync(c, tx, "settings.sla.commitment_deleted", $"commitment {id}");
            return deleted;
        }, ct) > 0
            ? TypedResults.NoContent() : Problems.NotFound("Commitment", id);

    private static Validation Validate(Request r, CommitmentRow row)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(r.Name)) v.Add("name", "A name is required, e.g. \"Inbound MQLs\".");
        else if (r.Name.Trim().Length > 200) v.Add("name", "Must be at most 200 characters.");
        if (r.MinimumMqlsPerMonth is not (>= 0 and <= 10_000_000)) v.Add("minimumMqlsPerMonth", "Required: the MQLs marketing promises per month (0-10000000).");
        if (r.MinimumAcceptancePercent is not (>= 0 and <= 100)) v.Add("minimumAcceptancePercent", "Required: the share of MQLs sales should accept, 0-100 (percent).");
        foreach (var (s, i) in (r.Sources ?? []).Select((s, i) => (s, i)))
            if (string.IsNullOrWhiteSpace(s) || s.Length > 100) v.Add($"sources[{i}]", "Must be a first-touch channel name of 1-100 characters, e.g. Paid Search.");
        if (!v.IsValid) return v;
        row.Name = r.Name!.Trim();
        row.MinimumMqlsPerMonth = r.MinimumMqlsPerMonth!.Value;
        row.MinimumAcceptancePercent = r.MinimumAcceptancePercent!.Value;
        row.Sources = Json.Write((r.Sources ?? []).Select(Channels.Fold).Distinct().ToList());
        row.Active = r.Active is false ? 0 : 1;
        return v;
    }

    private static Task<bool> NameTakenAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string name, long exceptId) =>
        c.ExecuteScalarAsync<bool>("SELECT COUNT(*) > 0 FROM sla_marketing_commitments WHERE LOWER(name) = LOWER(@name) AND id <> @exceptId", new { name, exceptId }, tx);
}
