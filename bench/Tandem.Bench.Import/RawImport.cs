using System.Data.Common;
using System.Diagnostics;
using Tandem.Server.Import;
using Tandem.Server.Storage;

namespace Tandem.Bench.Import;

/// <summary>
/// The engine's raw speed for the same work's floor: parse the same file with the same reader and insert every
/// record into one plain table, 500 rows per transaction, with one prepared statement. No mapping, validation,
/// de-duplication or indexes.
/// </summary>
public static class RawImport
{
    public static async Task<(long Rows, double Seconds)> RunAsync(Database db, string path)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            await using var create = c.CreateCommand();
            create.Transaction = tx;
            create.CommandText = "CREATE TABLE raw_leads (" + string.Join(", ", Enumerable.Range(0, 15).Select(i => $"c{i} TEXT")) + ")";
            await create.ExecuteNonQueryAsync();
        });
        if (db.IsSqlite) await db.ReadAsync(async c => { await using var wal = c.CreateCommand(); wal.CommandText = "PRAGMA journal_mode=WAL"; return await wal.ExecuteScalarAsync(); });

        var watch = Stopwatch.StartNew();
        using var file = ImportFile.Open(path);
        long rows = 0;
        var batch = new List<string[]>(500);
        bool more;
        do
        {
            batch.Clear();
            while (batch.Count < 500 && (more = file.TryRead(out var cells))) batch.Add(cells);
            more = batch.Count == 500;
            if (batch.Count == 0) break;
            await db.WriteAsync(async (c, tx) => await InsertAsync(c, tx, batch));
            rows += batch.Count;
        } while (more);
        return (rows, watch.Elapsed.TotalSeconds);
    }

    private static async Task InsertAsync(DbConnection c, DbTransaction tx, List<string[]> batch)
    {
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO raw_leads VALUES (" + string.Join(", ", Enumerable.Range(0, 15).Select(i => c is Npgsql.NpgsqlConnection ? $"${i + 1}" : $"@p{i}")) + ")";
        var parameters = Enumerable.Range(0, 15).Select(i =>
        {
            var p = insert.CreateParameter();
            if (c is not Npgsql.NpgsqlConnection) p.ParameterName = $"@p{i}";
            p.Value = "";
            insert.Parameters.Add(p);
            return p;
        }).ToArray();
        await insert.PrepareAsync();
        foreach (var cells in batch)
        {
            for (var i = 0; i < 15; i++) parameters[i].Value = i < cells.Length ? cells[i] : DBNull.Value;
            await insert.ExecuteNonQueryAsync();
        }
    }
}
