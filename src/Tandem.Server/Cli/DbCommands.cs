using System.CommandLine;
using Tandem.Server.Hosting;
using Tandem.Server.Operations.Backups;
using Tandem.Server.Storage;

namespace Tandem.Server.Cli;

/// <summary><c>tandem db backup FILE</c> and <c>tandem db restore FILE</c>: thin triggers over <see cref="BackupDatabase"/> and <see cref="RestoreDatabase"/>.</summary>
internal static class DbCommands
{
    public static Command Backup(Func<ParseResult, TandemOptions> options)
    {
        var file = new Argument<string>("file") { Description = "Where to write the backup: a new file (an existing one is never overwritten)." };
        var backup = new Command("backup", "Copy the SQLite database to FILE while the server runs (for PostgreSQL, says how to use pg_dump).") { file };
        backup.SetAction(async (parse, ct) =>
        {
            await using var db = options(parse).CreateDatabase();
            try
            {
                var done = await BackupDatabase.ToFileAsync(db, parse.GetValue(file)!, ct);
                Console.WriteLine($"backed up to {done.File} ({done.Bytes / 1024.0 / 1024.0:0.0} MB, schema version {done.SchemaVersion})");
                return 0;
            }
            catch (BackupRefused e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return backup;
    }

    public static Command Restore(Func<ParseResult, TandemOptions> options)
    {
        var file = new Argument<string>("file") { Description = "A backup written by `tandem db backup`." };
        var restore = new Command("restore",
            "Replace the SQLite database with a backup; refused while a server uses it. The replaced database is kept beside it.") { file };
        restore.SetAction(async (parse, ct) =>
        {
            await using var db = options(parse).CreateDatabase();
            try
            {
                var newest = new Migrator(db).Available().Max(m => m.Version);
                var done = await RestoreDatabase.FromFileAsync(db, parse.GetValue(file)!, newest, DateTimeOffset.UtcNow, ct);
                Console.WriteLine($"restored {done.Database} (schema version {done.SchemaVersion}; the server upgrades it at start if this build is newer)");
                if (done.PreviousKeptAs is { } kept) Console.WriteLine($"the database it replaced is kept as {kept}");
                return 0;
            }
            catch (BackupRefused e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return restore;
    }
}
