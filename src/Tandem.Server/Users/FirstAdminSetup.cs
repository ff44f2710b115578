using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Users;

/// <summary>
/// The first admin of a workspace with no users: at start the server issues a one-time link (/setup?token=…) and prints
/// it in its log, so whoever runs the server can create the first admin in the browser. Only the token's SHA-256 is kept
/// (in workspace_settings); it expires, works once, and stops working as soon as any user exists.
/// </summary>
internal sealed class FirstAdminSetup(Database db, TimeProvider clock)
{
    public const string SettingKey = "setup.first_admin";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public enum Outcome { Created, LinkNotValid, EmailProblem, PasswordProblem }

    /// <summary>A fresh token replacing any earlier one when the workspace has no users; null when it has some.</summary>
    public Task<string?> IssueIfNoUsersAsync(CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = clock.GetUtcNow().Add(Lifetime).ToUnixTimeMilliseconds();
        return db.WriteAsync<string?>(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users", transaction: tx) > 0)
            {
                await c.ExecuteAsync("DELETE FROM workspace_settings WHERE key = @SettingKey", new { SettingKey }, tx);
                return null;
            }
            await c.ExecuteAsync(
                "INSERT INTO workspace_settings (key, value) VALUES (@SettingKey, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                new { SettingKey, value = $"{Hash(token)} {expires.ToString(CultureInfo.InvariantCulture)}" }, tx);
            return token;
        }, ct);
    }

    /// <summary>True while the token is the current one, unexpired, and nobody has an account yet.</summary>
    public Task<bool> IsValidAsync(string? token, CancellationToken ct) =>
        db.ReadAsync(async c => await StoredMatchAsync(c, null, token) is not null
                                && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users") == 0, ct);

    /// <summary>
    /// Creates the first admin and burns the token in one transaction: the token's row is deleted only if it still holds
    /// the value read, so of two submissions racing with one link exactly one creates an admin.
    /// </summary>
    public Task<(Outcome Outcome, UserRow? User)> CreateAdminAsync(string? token, string? email, string? name, string? password, CancellationToken ct)
    {
        if (UserAccounts.CheckEmail(email) is not null) return Task.FromResult((Outcome.EmailProblem, (UserRow?)null));
        if (UserAccounts.CheckPassword(password) is not null) return Task.FromResult((Outcome.PasswordProblem, (UserRow?)null));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return db.WriteAsync<(Outcome, UserRow?)>(async (c, tx) =>
        {
            if (await StoredMatchAsync(c, tx, token) is not { } stored) return (Outcome.LinkNotValid, null);
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users", transaction: tx) > 0) return (Outcome.LinkNotValid, null);
            var burned = await c.ExecuteAsync("DELETE FROM workspace_settings WHERE key = @SettingKey AND value = @stored", new { SettingKey, stored }, tx);
            if (burned != 1) return (Outcome.LinkNotValid, null);
            var trimmed = email!.Trim();
            var user = await UserStore.EnsureAsync(c, tx, trimmed, string.IsNullOrWhiteSpace(name) ? UserAccounts.DefaultName(trimmed) : name.Trim(),
                Roles.Admin, password, now);
            await Audit.AuditLog.WriteAsync(c, tx, now, "user.created", trimmed, new { role = Roles.Admin, via = "setup link" });
            return (Outcome.Created, user);
        }, ct);
    }

    /// <summary>The stored value when <paramref name="token"/> matches it and has not expired.</summary>
    private async Task<string?> StoredMatchAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        var stored = await c.ExecuteScalarAsync<string?>("SELECT value FROM workspace_settings WHERE key = @SettingKey", new { SettingKey }, tx);
        var parts = stored?.Split(' ');
        if (parts is not { Length: 2 } || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var expires)) return null;
        if (expires <= clock.GetUtcNow().ToUnixTimeMilliseconds()) return null;
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[0]), Encoding.ASCII.GetBytes(Hash(token)));
        return matches ? stored : null;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
