using System.CommandLine;
using Tandem.Server.Audit;
using Tandem.Server.Demo;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Cli;

/// <summary>The tandem command line. Every command is a thin trigger over the same code the server runs.</summary>
internal static class TandemCli
{
    private static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Folder holding the embedded database (default: ./data). Every command acts on the server that uses it.",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Tandem: one shared stream of leads for marketing and sales.");
        root.Options.Add(DataDir);
        root.Subcommands.Add(ServeCommand("serve", "Run the Tandem server (web app and API).", demo: false));
        root.Subcommands.Add(ServeCommand("demo", "Run the server with a demo workspace, seeded on first start.", demo: true));
        root.Subcommands.Add(DbCommand());
        root.Subcommands.Add(KeysCommand());
        root.Subcommands.Add(UserCommands.Create(MigratedDatabaseAsync));
        root.Subcommands.Add(PeopleCommands.Create(MigratedDatabaseAsync));
        root.Subcommands.Add(ScoringCommands.Create());
        root.Subcommands.Add(PredictCommands.Create());
        ImportCommands.AddTo(root);
        return await root.Parse(args).InvokeAsync();
    }

    private static Command ServeCommand(string name, string description, bool demo)
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default: http://localhost:5080)." };
        var command = new Command(name, description) { urls };
        command.SetAction(async (parse, ct) =>
        {
            var overrides = Overrides(parse);
            overrides["urls"] = parse.GetValue(urls) ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? "http://localhost:5080";
            if (demo) overrides["Tandem:Demo"] = "true";
            var app = TandemApp.Build([], overrides);
            var options = app.Services.GetRequiredService<TandemOptions>();
            if (demo) Console.WriteLine("Preparing the demo workspace (the first start seeds it; this takes a few seconds)…");
            await TandemApp.StartAsync(app, ct);
            var url = TandemApp.BoundAddresses(app).FirstOrDefault() ?? overrides["urls"]!;
            Console.WriteLine($"Tandem is running at {url}");
            Console.WriteLine($"  database: {options.Database.ParsedProvider}{(options.Database.ParsedProvider == DatabaseProvider.Sqlite ? " in " + Path.GetFullPath(options.DataDir) : "")}");
            Console.WriteLine($"  API: {url}/api/v1   OpenAPI: {url}/openapi/v1.json   health: {url}/healthz");
            if (app.Services.GetRequiredService<DemoMark>().IsDemo)
                Console.WriteLine("  this is the DEMO workspace (made-up people, a published password): keep real leads in a workspace of your own");
            if (demo && DemoWorkspace.ReadKey(options.DataDir) is { } key)
            {
                Console.WriteLine($"  demo API key (admin): {key}");
                Console.WriteLine($"  demo users (password '{DemoUsers.Password}'): {string.Join(", ", DemoUsers.All.Select(u => $"{u.Email} ({u.Role})"))}");
                Console.WriteLine($"  try: curl -H 'Authorization: Bearer {key}' '{url}/api/v1/people?limit=3'");
            }
            Console.WriteLine("Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }

    private static Command DbCommand()
    {
        var migrate = new Command("migrate", "Create or upgrade the database schema in place.");
        migrate.SetAction(async (parse, ct) =>
        {
            var db = LoadOptions(parse).CreateDatabase();
            var migrator = new Migrator(db);
            var applied = await migrator.MigrateAsync(ct);
            foreach (var m in applied) Console.WriteLine($"applied {m.Version:D4}_{m.Name}");
            Console.WriteLine($"schema version {await migrator.CurrentVersionAsync(ct)} ({db.Provider}); {applied.Count} migration(s) applied");
            return 0;
        });
        return new Command("db", "Database maintenance.") { migrate, DbCommands.Backup(LoadOptions), DbCommands.Restore(LoadOptions) };
    }

    private static Command KeysCommand()
    {
        var name = new Option<string>("--name") { Description = "Who or what uses the key.", Required = true };
        var scope = new Option<string[]>("--scope")
        {
            Description = $"Scopes: {string.Join(", ", Scopes.All)}. Repeat or list several.",
            Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var create = new Command("create", "Create an API key; the key is printed once, alone on the last line.") { name, scope };
        create.SetAction(async (parse, ct) =>
        {
            var scopes = parse.GetValue(scope)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
            var unknown = scopes.Where(s => !Scopes.IsKnown(s)).ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine($"error: unknown scope(s) {string.Join(", ", unknown)}; use {string.Join(", ", Scopes.All)}.");
                return 2;
            }
            var store = await KeyStoreAsync(parse, ct);
            using var acting = AuditLog.ActingAs(AuditActor.CommandLine());
            var (info, key) = await store.CreateAsync(parse.GetValue(name)!, scopes, ct);
            Console.WriteLine($"created key {info.Id} '{info.Name}' with scopes {string.Join(" ", info.Scopes)}; store it now, it is not shown again:");
            Console.WriteLine(key);
            return 0;
        });

        var list = new Command("list", "List API keys (never the keys themselves).");
        list.SetAction(async (parse, ct) =>
        {
            var keys = await (await KeyStoreAsync(parse, ct)).ListAsync(ct);
            Console.WriteLine($"{"ID",-5} {"PREFIX",-9} {"NAME",-24} {"SCOPES",-26} {"CREATED",-20} STATUS");
            foreach (var k in keys)
                Console.WriteLine($"{k.Id,-5} {k.Prefix,-9} {Cut(k.Name, 24),-24} {string.Join(",", k.Scopes),-26} {k.CreatedAt:yyyy-MM-dd HH:mm,-20} {(k.RevokedAt is null ? "active" : $"revoked {k.RevokedAt:yyyy-MM-dd}")}");
            return 0;
        });

        var which = new Argument<string>("key") { Description = "The key's id or prefix." };
        var revoke = new Command("revoke", "Revoke an API key by id or prefix.") { which };
        revoke.SetAction(async (parse, ct) =>
        {
            using var acting = AuditLog.ActingAs(AuditActor.CommandLine());
            var ok = await (await KeyStoreAsync(parse, ct)).RevokeAsync(parse.GetValue(which)!, ct);
            Console.WriteLine(ok ? "revoked" : "no active key matches");
            return ok ? 0 : 1;
        });
        return new Command("keys", "Manage API keys.") { create, list, revoke };
    }

    private static async Task<ApiKeyStore> KeyStoreAsync(ParseResult parse, CancellationToken ct) =>
        new(await MigratedDatabaseAsync(parse, ct), TimeProvider.System);

    /// <summary>The server's database, brought up to date, for commands that write to it.</summary>
    private static async Task<Database> MigratedDatabaseAsync(ParseResult parse, CancellationToken ct)
    {
        var db = LoadOptions(parse).CreateDatabase();
        await new Migrator(db).MigrateAsync(ct);
        return db;
    }

    internal static Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(DataDir) is { } dir) overrides["Tandem:DataDir"] = dir;
        return overrides;
    }

    /// <summary>The same configuration the server would read: appsettings.json, then Tandem__* environment variables, then flags.</summary>
    private static TandemOptions LoadOptions(ParseResult parse)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(Overrides(parse))
            .Build();
        return config.GetSection(TandemOptions.Section).Get<TandemOptions>() ?? new TandemOptions();
    }

    private static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
