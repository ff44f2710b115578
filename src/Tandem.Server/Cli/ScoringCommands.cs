using System.CommandLine;
using System.Text.Json;
using Tandem.Domain.Scoring;
using Tandem.Server.Hosting;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Cli;

/// <summary>tandem scoring show | validate FILE | publish FILE [--dry-run]: the same use cases as the scoring API.</summary>
internal static class ScoringCommands
{
    public static Command Create()
    {
        var asJson = new Option<bool>("--json") { Description = "Print the model as JSON (ready to edit and publish)." };
        var show = new Command("show", "Show the active scoring model: grades, bands, personas, rules and the MQL definition.") { asJson };
        show.SetAction(async (parse, ct) =>
        {
            await using var app = await OpenAsync(parse, ct);
            var models = app.Services.GetRequiredService<ScoringModels>();
            var active = await models.ActiveAsync(ct);
            if (active is null) { Console.Error.WriteLine("No scoring model is published."); return 1; }
            if (parse.GetValue(asJson)) { Console.WriteLine(JsonSerializer.Serialize(active.Model, new JsonSerializerOptions(Json.Options) { WriteIndented = true })); return 0; }
            Print(active.Version, active.Model);
            return 0;
        });

        var file = new Argument<FileInfo>("file") { Description = "A scoring model as JSON (see `tandem scoring show --json`)." };
        var validate = new Command("validate", "Check a model file without publishing it.") { file };
        validate.SetAction(async (parse, ct) =>
        {
            var model = await ReadAsync(parse.GetValue(file)!, ct);
            return model is null ? 1 : Report(model) ? 0 : 1;
        });

        var publishFile = new Argument<FileInfo>("file") { Description = "A scoring model as JSON." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only tell how many people would move into or out of MQL." };
        var publish = new Command("publish", "Publish a model as the new version and re-score everyone, with progress.") { publishFile, dryRun };
        publish.SetAction(async (parse, ct) =>
        {
            var model = await ReadAsync(parse.GetValue(publishFile)!, ct);
            if (model is null || !Report(model)) return 1;
            await using var app = await OpenAsync(parse, ct);
            var rescore = app.Services.GetRequiredService<RescoreEveryone>();
            if (parse.GetValue(dryRun))
            {
                var impact = await rescore.RunAsync(new CompiledModel(0, model), dryRun: true, ct: ct);
                PrintImpact(impact, "would");
                return 0;
            }
            var db = app.Services.GetRequiredService<Database>();
            using var acting = AuditLog.ActingAs(AuditActor.CommandLine());
            var version = await db.WriteAsync((c, tx) => app.Services.GetRequiredService<ScoringModels>().PublishAsync(c, tx, model, "command line"), ct);
            Console.WriteLine($"published scoring model v{version} '{model.Name}'; re-scoring everyone…");
            var started = DateTimeOffset.UtcNow;
            var result = await rescore.RunAsync(new CompiledModel(version, model), dryRun: false, progress: p =>
            {
                var share = p.Total == 0 ? 100 : p.Done * 100 / p.Total;
                Console.Error.Write($"\r  {p.Done:N0} / {p.Total:N0} people ({share}%)   ");
                return Task.CompletedTask;
            }, ct);
            Console.Error.WriteLine();
            PrintImpact(result, "did");
            Console.WriteLine($"re-scored {result.People:N0} people in {(DateTimeOffset.UtcNow - started).TotalSeconds:N1} s");
            return 0;
        });
        return new Command("scoring", "Show, validate and publish the scoring model.") { show, validate, publish };
    }

    private static async Task<WebApplication> OpenAsync(ParseResult parse, CancellationToken ct)
    {
        var app = TandemApp.Build([], TandemCli.Overrides(parse));
        await TandemApp.PrepareDatabaseAsync(app.Services, ct);
        await ScoringModule.EnsureScoringAsync(app.Services, ct); // as the server does at start: a workspace always has a model
        return app;
    }

    private static async Task<ScoringModel?> ReadAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) { Console.Error.WriteLine($"error: {file.FullName} does not exist."); return null; }
        try { return ScoringModels.Parse(await File.ReadAllTextAsync(file.FullName, ct)); }
        catch (JsonException e) { Console.Error.WriteLine($"error: {file.Name} is not a valid model: {e.Message}"); return null; }
    }

    private static bool Report(ScoringModel model)
    {
        var problems = ModelValidator.Validate(model);
        foreach (var p in problems) Console.Error.WriteLine($"  {p.Path}: {p.Message}");
        Console.WriteLine(problems.Count == 0 ? $"'{model.Name}' is valid." : $"'{model.Name}' has {problems.Count} problem(s).");
        return problems.Count == 0;
    }

    private static void Print(long version, ScoringModel m)
    {
        Console.WriteLine($"scoring model v{version}: {m.Name}");
        if (m.Description is not null) Console.WriteLine($"  {m.Description}");
        Console.WriteLine($"  grades: A ≥ {m.Grades.A}, B ≥ {m.Grades.B}, C ≥ {m.Grades.C}, else D   engagement: {m.EngagementScale} points = 100, bands {string.Join("/", m.EngagementBands)}");
        Console.WriteLine($"  MQL: {m.Mql}");
        foreach (var p in m.Personas) Console.WriteLine($"  persona {p.Name}: {string.Join(" and ", p.When)}");
        Console.WriteLine("  fit rules:");
        foreach (var r in m.Fit) Console.WriteLine($"    {r.Points,5:+0;-0}  {r.Id,-24} {r.Name} — {string.Join(" and ", r.When)}");
        Console.WriteLine("  engagement rules:");
        foreach (var r in m.Engagement)
        {
            var limits = string.Join(", ", new[]
            {
                r.HalfLifeDays is { } h ? $"half-life {h} d" : "no decay", r.CapPerDay is { } d ? $"≤ {d}/day" : null, r.CapLifetime is { } l ? $"≤ {l} in all" : null,
            }.Where(x => x is not null));
            Console.WriteLine($"    {r.Points,5:+0;-0}  {r.Id,-24} {r.Name} ({r.Type ?? "any activity"}{(r.When.Count > 0 ? ", " + string.Join(" and ", r.When) : "")}; {limits})");
        }
    }

    private static void PrintImpact(RescoreEveryone.Impact i, string verb)
    {
        Console.WriteLine($"{i.People:N0} people: {i.MoveIntoMql:N0} {verb} move into MQL, {i.FallOutOfMql:N0} {verb} fall below the MQL line, {i.Unchanged:N0} unchanged");
        Console.WriteLine($"  grades before: {string.Join("  ", i.GradesBefore.Select(g => $"{g.Key} {g.Value:N0}"))}");
        Console.WriteLine($"  grades after:  {string.Join("  ", i.GradesAfter.Select(g => $"{g.Key} {g.Value:N0}"))}");
        Console.WriteLine($"  cells after:   {string.Join("  ", i.CellsAfter.Select(g => $"{g.Key} {g.Value:N0}"))}");
    }
}
