using System.CommandLine;
using Dapper;
using Tandem.Domain.Identity;
using Tandem.Server.Audit;
using Tandem.Server.Privacy;
using Tandem.Server.Storage;

namespace Tandem.Server.Cli;

/// <summary>
/// <c>tandem people erase</c> and <c>tandem people export</c>: a person's rights from the server's machine, through the
/// same erasure and subject access export the API and the person page use, recorded in the audit log as the command line.
/// </summary>
internal static class PeopleCommands
{
    public static Command Create(Func<ParseResult, CancellationToken, Task<Database>> openDatabase)
    {
        var email = new Option<string?>("--email") { Description = "The person's email address." };
        var id = new Option<long?>("--id") { Description = "The person's id (as in /people/ID)." };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation (for scripts)." };
        var erase = new Command("erase",
            "Erase a person and the records merged into them, leaving an anonymous tombstone that reports still count. Cannot be undone.") { email, id, yes };
        erase.SetAction(async (parse, ct) =>
        {
            var db = await openDatabase(parse, ct);
            if (await FindAsync(db, parse.GetValue(email), parse.GetValue(id), ct) is not { } personId) return 1;
            if (!parse.GetValue(yes))
            {
                Console.Error.Write($"Erase person {personId} for good? Type 'erase' to confirm: ");
                if (Console.In.ReadLine()?.Trim() != "erase") { Console.Error.WriteLine("Nothing was erased."); return 1; }
            }
            using var acting = AuditLog.ActingAs(AuditActor.CommandLine());
            var outcome = await new PersonEraser(db, TimeProvider.System).EraseAsync(personId, ct);
            switch (outcome.Status)
            {
                case EraseStatus.Erased:
                    var removed = outcome.Erasure!.Removed;
                    Console.WriteLine($"erased person {personId}" + (removed.Count == 0 ? "." : ": removed " + string.Join(", ", removed.Select(r => $"{r.Value} {r.Key}")) + "."));
                    return 0;
                case EraseStatus.AlreadyErased:
                    Console.Error.WriteLine($"person {personId} was already erased.");
                    return 1;
                case EraseStatus.Merged:
                    Console.Error.WriteLine($"person {personId} was merged into person {outcome.MergedIntoId}: erase that person, which erases this record too.");
                    return 1;
                default:
                    Console.Error.WriteLine($"no person has id {personId}.");
                    return 1;
            }
        });

        var exportEmail = new Option<string?>("--email") { Description = "The person's email address." };
        var exportId = new Option<long?>("--id") { Description = "The person's id." };
        var export = new Command("export", "Print everything Tandem holds on one person as JSON (a subject access request).") { exportEmail, exportId };
        export.SetAction(async (parse, ct) =>
        {
            var db = await openDatabase(parse, ct);
            if (await FindAsync(db, parse.GetValue(exportEmail), parse.GetValue(exportId), ct) is not { } personId) return 1;
            using var acting = AuditLog.ActingAs(AuditActor.CommandLine());
            var document = await new PersonDataExport(db, TimeProvider.System).ExportAsync(personId, ct);
            if (document is null) { Console.Error.WriteLine($"no person has id {personId}."); return 1; }
            Console.WriteLine(document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return new Command("people", "A person's rights: erase them, or export what Tandem holds on them.") { erase, export };
    }

    /// <summary>The person named by exactly one of --email and --id; says why on standard error when there is none.</summary>
    private static async Task<long?> FindAsync(Database db, string? email, long? id, CancellationToken ct)
    {
        if ((email is null) == (id is null)) { Console.Error.WriteLine("error: name the person with either --email or --id."); return null; }
        if (id is not null) return id;
        if (!EmailAddress.TryParse(email, out var address)) { Console.Error.WriteLine($"error: '{email}' is not an email address."); return null; }
        var found = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<long?>("SELECT id FROM people WHERE email = @email", new { email = address.Value }), ct);
        if (found is null) Console.Error.WriteLine("error: no person has that email (an erased person's email is not kept).");
        return found;
    }
}
