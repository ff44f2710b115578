using System.Collections.Concurrent;
using System.Globalization;
using Tandem.Server.Storage;

namespace Tandem.Tests.Infrastructure;

/// <summary>
/// Servers on a seeded demo workspace. The seed is deterministic for a size and a moment, and seeding a few hundred
/// people is seconds of work (tens on PostgreSQL), so each engine, size and moment is seeded once per test process by
/// the real start-up path and every test gets its own copy of the database and data folder. A test of the first start
/// itself (seeding, not seeding twice) starts a plain <see cref="TandemServer"/> with the demo settings instead.
/// </summary>
public static class DemoWorkspaces
{
    private sealed record Template(string Database, string DataDir);

    private static readonly ConcurrentDictionary<(DatabaseProvider, int, long), Lazy<Task<Template>>> Templates = new();

    /// <summary>A server on a copy of the demo workspace seeded with <paramref name="people"/> people as of <paramref name="now"/>,
    /// its clock standing at that moment; <paramref name="settings"/> apply to this server only (not to the seed).</summary>
    public static async Task<TandemServer> StartAsync(DatabaseProvider provider, DateTimeOffset now, int people,
        IDictionary<string, string?>? settings = null)
    {
        var template = await Templates.GetOrAdd((provider, people, now.UtcTicks),
            _ => new Lazy<Task<Template>>(() => SeedAsync(provider, now, people), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        var connectionString = await TestDatabases.CopyTemplateAsync(provider, template.Database);
        var dataDir = TempFolder.Create("server");
        foreach (var file in Directory.GetFiles(template.DataDir))
            File.Copy(file, Path.Combine(dataDir, Path.GetFileName(file)));
        var all = new Dictionary<string, string?>(DemoSettings(people));
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        return await TandemServer.StartAsync(provider, new ManualClock(now), all, connectionString, dataDir: dataDir);
    }

    private static Dictionary<string, string?> DemoSettings(int people) => new()
    {
        ["Tandem:Demo"] = "true",
        ["Tandem:DemoPeople"] = people.ToString(CultureInfo.InvariantCulture),
    };

    private static async Task<Template> SeedAsync(DatabaseProvider provider, DateTimeOffset now, int people)
    {
        var (_, connectionString) = await TestDatabases.CreateMigratedAsync(provider);
        var dataDir = TempFolder.Create("demo-template");
        await TandemServer.PrepareAsync(provider, new ManualClock(now), DemoSettings(people), connectionString, dataDir);
        return new Template(await TestDatabases.FreezeAsTemplateAsync(provider, connectionString), dataDir);
    }
}
