using System.Security.Cryptography;
using System.Text;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Inbound;

/// <summary>
/// The secret in the inbound hooks' paths. Relays and providers cannot sign what they post in one common way, so the
/// unguessable path is what admits them; it lives in <c>workspace_settings</c>, is generated on first use, and an
/// administrator rotates it when it may have leaked (the old one stops working at once).
/// </summary>
internal static class InboundSecret
{
    public const string Setting = "email.inbound_secret";

    public static async Task<string> LoadOrCreateAsync(Database db, CancellationToken ct)
    {
        if (await ReadAsync(db, ct) is { } stored) return stored;
        // Two servers may race here; the first insert wins and both read it back.
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO workspace_settings (key, value) VALUES (@Setting, @value) ON CONFLICT (key) DO NOTHING", new { Setting, value = New() }, tx), ct);
        return (await ReadAsync(db, ct))!;
    }

    public static async Task<string> RotateAsync(Database db, CancellationToken ct)
    {
        var value = New();
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO workspace_settings (key, value) VALUES (@Setting, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { Setting, value }, tx), ct);
        return value;
    }

    /// <summary>True when <paramref name="given"/> is the current secret; compared in constant time.</summary>
    public static async Task<bool> MatchesAsync(Database db, string given, CancellationToken ct) =>
        await ReadAsync(db, ct) is { } stored &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(given));

    private static Task<string?> ReadAsync(Database db, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string>("SELECT value FROM workspace_settings WHERE key = @Setting", new { Setting }), ct);

    private static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
