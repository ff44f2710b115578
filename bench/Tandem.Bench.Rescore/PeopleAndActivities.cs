using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Tandem.Bench.Rescore;

/// <summary>Buffers generated rows and writes them in bulk: a prepared-statement loop on SQLite, binary COPY on PostgreSQL.</summary>
internal sealed class PeopleAndActivities(DbConnection c, bool sqlite)
{
    private readonly List<(long Id, string Name, string Domain, string Industry, long At)> accounts = [];
    private readonly List<(long Id, string Email, string Title, string Size, string Industry, string Country, string Region, string? Phone, long? Account, long At)> people = [];
    private readonly List<(long Person, string Type, long At, string Properties, long Signature)> activities = [];

    public Task BeginAsync() => Task.CompletedTask;

    public ValueTask AccountAsync(long id, string name, string domain, string industry, long at) { accounts.Add((id, name, domain, industry, at)); return ValueTask.CompletedTask; }

    public ValueTask PersonAsync(long id, string email, string title, string size, string industry, string country, string region, string? phone, long? account, long at)
    {
        people.Add((id, email, title, size, industry, country, region, phone, account, at));
        return ValueTask.CompletedTask;
    }

    public ValueTask ActivityAsync(long person, string type, long at, string properties, long signature)
    {
        activities.Add((person, type, at, properties, signature));
        return ValueTask.CompletedTask;
    }

    public async Task CommitAsync()
    {
        if (sqlite) await SqliteAsync(); else await PostgresAsync();
        accounts.Clear(); people.Clear(); activities.Clear();
    }

    private async Task SqliteAsync()
    {
        await using var tx = await c.BeginTransactionAsync();
        await using (var cmd = Command(tx, "INSERT INTO accounts (id, name, domain, normalized_name, industry, created_at, updated_at) VALUES (@p0, @p1, @p2, @p1, @p3, @p4, @p4)", 5))
            foreach (var a in accounts) { Set(cmd, a.Id, a.Name, a.Domain, a.Industry, a.At); await cmd.ExecuteNonQueryAsync(); }
        await using (var cmd = Command(tx, "INSERT INTO people (id, email, title, company_size, industry, country, region, phone, account_id, stage, stage_changed_at, created_at, updated_at) " +
                                          "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, 'Lead', @p9, @p9, @p9)", 10))
            foreach (var p in people) { Set(cmd, p.Id, p.Email, p.Title, p.Size, p.Industry, p.Country, p.Region, p.Phone, p.Account, p.At); await cmd.ExecuteNonQueryAsync(); }
        await using (var cmd = Command(tx, "INSERT INTO activities (person_id, type, occurred_at, received_at, source, properties, signature) VALUES (@p0, @p1, @p2, @p2, 'tracking', @p3, @p4)", 5))
            foreach (var a in activities) { Set(cmd, a.Person, a.Type, a.At, a.Properties, a.Signature); await cmd.ExecuteNonQueryAsync(); }
        await tx.CommitAsync();
    }

    private async Task PostgresAsync()
    {
        var pg = (NpgsqlConnection)c;
        await using (var w = await pg.BeginBinaryImportAsync("COPY accounts (id, name, domain, normalized_name, industry, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var a in accounts)
            {
                await w.StartRowAsync();
                await w.WriteAsync(a.Id); await w.WriteAsync(a.Name); await w.WriteAsync(a.Domain); await w.WriteAsync(a.Name);
                await w.WriteAsync(a.Industry); await w.WriteAsync(a.At); await w.WriteAsync(a.At);
            }
            await w.CompleteAsync();
        }
        await using (var w = await pg.BeginBinaryImportAsync("COPY people (id, email, title, company_size, industry, country, region, phone, account_id, stage, stage_changed_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var p in people)
            {
                await w.StartRowAsync();
                await w.WriteAsync(p.Id); await w.WriteAsync(p.Email); await w.WriteAsync(p.Title); await w.WriteAsync(p.Size); await w.WriteAsync(p.Industry);
                await w.WriteAsync(p.Country); await w.WriteAsync(p.Region);
                if (p.Phone is null) await w.WriteNullAsync(); else await w.WriteAsync(p.Phone);
                if (p.Account is null) await w.WriteNullAsync(); else await w.WriteAsync(p.Account.Value, NpgsqlDbType.Bigint);
                await w.WriteAsync("Lead"); await w.WriteAsync(p.At); await w.WriteAsync(p.At); await w.WriteAsync(p.At);
            }
            await w.CompleteAsync();
        }
        await using (var w = await pg.BeginBinaryImportAsync("COPY activities (person_id, type, occurred_at, received_at, source, properties, signature) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var a in activities)
            {
                await w.StartRowAsync();
                await w.WriteAsync(a.Person); await w.WriteAsync(a.Type); await w.WriteAsync(a.At); await w.WriteAsync(a.At);
                await w.WriteAsync("tracking"); await w.WriteAsync(a.Properties); await w.WriteAsync(a.Signature);
            }
            await w.CompleteAsync();
        }
        if (accounts.Count > 0 || people.Count > 0)
        {
            await using var cmd = pg.CreateCommand();
            cmd.CommandText = "SELECT setval(pg_get_serial_sequence('people', 'id'), (SELECT MAX(id) FROM people)); " +
                              "SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT MAX(id) FROM accounts));";
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private DbCommand Command(DbTransaction tx, string sql, int parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < parameters; i++) { var p = cmd.CreateParameter(); p.ParameterName = "@p" + i; cmd.Parameters.Add(p); }
        cmd.Prepare();
        return cmd;
    }

    private static void Set(DbCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
