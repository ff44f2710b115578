using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Operations;

/// <summary>`tandem db backup` and `tandem db restore`, run as an operator runs them, against a server that keeps writing.</summary>
public sealed class BackupTests
{
    private static string FolderOf(TandemServer server) => Path.GetDirectoryName(new SqliteConnectionStringBuilder(server.ConnectionString).DataSource)!;

    [Fact]
    public async Task A_backup_taken_while_leads_are_captured_restores_every_lead_acknowledged_before_it_began()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite);
        using var api = server.Client(await server.CreateKeyAsync(Scopes.Write));
        var acknowledged = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var email = $"load{w}-{i}@backup.example";
                await api.CaptureLeadAsync(new { email, company = "Load Test" });
                acknowledged.Enqueue(email);
            }
        }, ct)).ToList();
        await Poll.UntilAsync(() => Task.FromResult(acknowledged.Count >= 80), "the writers have had 80 leads acknowledged");

        var before = acknowledged.ToArray();
        var backupFile = Path.Combine(TempFolder.Create("backups"), "tandem-backup.db");
        var backup = await TandemProcess.RunAsync("db", "backup", backupFile, "--data-dir", FolderOf(server));
        var duringBackup = acknowledged.Count - before.Length;
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(backup.Exit == 0, backup.Err);
        Assert.Contains("backed up to", backup.Out);
        Assert.True(duringBackup > 0, "the server kept acknowledging writes while the backup ran");

        var restoredFolder = TempFolder.Create("restored");
        var restore = await TandemProcess.RunAsync("db", "restore", backupFile, "--data-dir", restoredFolder);
        Assert.True(restore.Exit == 0, restore.Err);

        await using var restored = await TandemServer.StartAsync(DatabaseProvider.Sqlite,
            connectionString: $"Data Source={Path.Combine(restoredFolder, "tandem.db")}");
        var emails = (await restored.Database.ReadAsync(c => c.QueryAsync<string>("SELECT email FROM people"), ct)).ToHashSet();
        var missing = before.Where(e => !emails.Contains(e)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {before.Length} acknowledged leads are missing from the restored database, e.g. {missing.FirstOrDefault()}");
        // The restored workspace serves: the key made before the backup still works and the API sees the leads.
        using var restoredApi = restored.Client(await restored.CreateKeyAsync(Scopes.Read));
        var found = await restoredApi.GetJsonAsync($"/api/v1/people?email={Uri.EscapeDataString(before[0])}");
        Assert.Contains(before[0], found.GetRawText());
    }

    [Fact]
    public async Task Restore_is_refused_while_a_server_uses_the_database_and_replaces_it_once_stopped()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite);
        var folder = FolderOf(server);
        var connectionString = server.ConnectionString;
        using (var api = await server.AdminClientAsync()) await api.CaptureLeadAsync(new { email = "kept@backup.example" });
        var backupFile = Path.Combine(TempFolder.Create("backups"), "before.db");
        Assert.Equal(0, (await TandemProcess.RunAsync("db", "backup", backupFile, "--data-dir", folder)).Exit);
        using (var api = await server.AdminClientAsync()) await api.CaptureLeadAsync(new { email = "after-backup@backup.example" });

        var refused = await TandemProcess.RunAsync("db", "restore", backupFile, "--data-dir", folder);
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("stop it", refused.Err);
        Assert.Equal(2, await PeopleCountAsync(server.Database, ct));

        await server.DisposeAsync();
        // A stopped server's process is gone with its connections; this one shares the test's process and its pool.
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        var restore = await TandemProcess.RunAsync("db", "restore", backupFile, "--data-dir", folder);
        Assert.True(restore.Exit == 0, restore.Err);
        Assert.Contains("kept as", restore.Out);
        var kept = Directory.GetFiles(folder, "tandem.db.before-restore-*").Single(f => !f.EndsWith("-wal") && !f.EndsWith("-shm"));

        await using var again = await TandemServer.StartAsync(DatabaseProvider.Sqlite, connectionString: connectionString);
        var emails = await again.Database.ReadAsync(c => c.QueryAsync<string>("SELECT email FROM people"), ct);
        Assert.Equal(["kept@backup.example"], emails.ToList());
        await using var previous = new Database(DatabaseProvider.Sqlite, $"Data Source={kept}");
        Assert.Equal(2, await PeopleCountAsync(previous, ct));
    }

    [Fact]
    public async Task Backup_never_overwrites_a_file_and_restore_refuses_what_is_not_a_tandem_database()
    {
        await using var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite);
        var existing = Path.Combine(TempFolder.Create("backups"), "taken.db");
        await File.WriteAllTextAsync(existing, "an earlier backup", TestContext.Current.CancellationToken);

        var overwrite = await TandemProcess.RunAsync("db", "backup", existing, "--data-dir", FolderOf(server));
        var notADatabase = await TandemProcess.RunAsync("db", "restore", existing, "--data-dir", TempFolder.Create("restore"));

        Assert.NotEqual(0, overwrite.Exit);
        Assert.Contains("already exists", overwrite.Err);
        Assert.Equal("an earlier backup", await File.ReadAllTextAsync(existing, TestContext.Current.CancellationToken));
        Assert.NotEqual(0, notADatabase.Exit);
        Assert.Contains("not a SQLite database", notADatabase.Err);
    }

    [Fact]
    public async Task On_postgres_backup_and_restore_explain_pg_dump_and_pg_restore()
    {
        var (_, cs) = await TestDatabases.CreateMigratedAsync(DatabaseProvider.Postgres);
        var environment = new Dictionary<string, string>
        {
            ["Tandem__Database__Provider"] = "postgres",
            ["Tandem__Database__ConnectionString"] = cs,
        };
        var file = Path.Combine(TempFolder.Create("backups"), "pg.db");

        var backup = await TandemProcess.RunAsync(environment, "db", "backup", file);
        var restore = await TandemProcess.RunAsync(environment, "db", "restore", file);

        Assert.Equal(2, backup.Exit);
        Assert.Contains("pg_dump --format=custom", backup.Err);
        Assert.DoesNotContain(new Npgsql.NpgsqlConnectionStringBuilder(cs).Password ?? "\u0000", backup.Err);
        Assert.False(File.Exists(file));
        Assert.Equal(2, restore.Exit);
        Assert.Contains("pg_restore --no-owner", restore.Err);
    }

    private static Task<long> PeopleCountAsync(Database db, CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people"), ct);
}
