using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Demo;

/// <summary>
/// Whether this server's database is the demo workspace, read once at start: the demo seeding records
/// <see cref="DemoWorkspace.SeededSetting"/>, and only the seeding does, so a workspace started with <c>serve</c> is never
/// taken for the demo and a demo database stays marked whichever command serves it. Every page shows a banner while it is set.
/// </summary>
internal sealed class DemoMark
{
    public bool IsDemo { get; private set; }

    public async Task LoadAsync(Database db, CancellationToken ct) =>
        IsDemo = await db.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            "SELECT value FROM workspace_settings WHERE key = @SeededSetting", new { DemoWorkspace.SeededSetting }), ct) is not null;
}
