using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Tandem.Domain.Nurture;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

/// <summary>A program row as stored.</summary>
internal sealed class ProgramRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Status { get; set; } = "";
    public string Draft { get; set; } = "{}";
    public long? CurrentVersion { get; set; }
    public string EntryEvents { get; set; } = "[]";
    public long HasFilter { get; set; }
    public long? SweptAt { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

internal static class ProgramStatus
{
    public const string Draft = "draft";
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Archived = "archived";
}

internal static class EnrollmentStatus
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Exited = "exited";
    public const string HeldOut = "held_out";
}

/// <summary>
/// Reads programs and their published versions. A published version never changes, so its parsed definition is
/// kept in memory by (program, version): every server reads the same text, whichever published it.
/// </summary>
internal sealed class NurturePrograms
{
    private readonly ConcurrentDictionary<(long, long), ProgramDefinition> versions = new();

    public static Task<ProgramRow?> FindAsync(DbConnection c, DbTransaction? tx, long id, bool forUpdate = false) =>
        c.QuerySingleOrDefaultAsync<ProgramRow>(
            "SELECT * FROM nurture_programs WHERE id = @id" + (forUpdate ? Storage.SqlDialect.Of(c).ForUpdate : ""), new { id }, tx);

    public async Task<ProgramDefinition> DefinitionAsync(DbConnection c, DbTransaction? tx, long programId, long version)
    {
        if (versions.TryGetValue((programId, version), out var known)) return known;
        var json = await c.QuerySingleAsync<string>(
            "SELECT definition FROM nurture_program_versions WHERE program_id = @programId AND version = @version", new { programId, version }, tx);
        var (definition, problems) = ProgramParser.Parse(json);
        if (definition is null)
            throw new InvalidOperationException($"Program {programId} version {version} no longer parses: {string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}"))}");
        return versions[(programId, version)] = definition;
    }

    /// <summary>Active programs whose current version enters people on an event; the list is small and read on each event.</summary>
    public async Task<IReadOnlyList<(ProgramRow Program, ProgramDefinition Definition)>> EnteringOnEventsAsync(DbConnection c, DbTransaction tx)
    {
        var rows = await TransactionMemo.GetAsync(tx, "nurture.entering_on_events", () => c.QueryAsync<ProgramRow>(
            "SELECT * FROM nurture_programs WHERE status = 'active' AND entry_events <> '[]' AND current_version IS NOT NULL", transaction: tx));
        var list = new List<(ProgramRow, ProgramDefinition)>();
        foreach (var row in rows) list.Add((row, await DefinitionAsync(c, tx, row.Id, row.CurrentVersion!.Value)));
        return list;
    }

    public async Task<IReadOnlyList<(ProgramRow Program, ProgramDefinition Definition)>> EnteringByFilterAsync(DbConnection c, DbTransaction? tx)
    {
        var rows = await TransactionMemo.GetAsync(tx, "nurture.entering_by_filter", () => c.QueryAsync<ProgramRow>(
            "SELECT * FROM nurture_programs WHERE status = 'active' AND has_filter = 1 AND current_version IS NOT NULL ORDER BY id", transaction: tx));
        var list = new List<(ProgramRow, ProgramDefinition)>();
        foreach (var row in rows) list.Add((row, await DefinitionAsync(c, tx, row.Id, row.CurrentVersion!.Value)));
        return list;
    }
}
