using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Tandem.Server.Storage;

namespace Tandem.Server.Users;

/// <summary>Reads and writes users. Passwords are kept only as ASP.NET Core Identity hashes (PBKDF2).</summary>
internal sealed class UserStore(Database db, TimeProvider clock)
{
    private static readonly PasswordHasher<UserRow> Hasher = new();

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    public static string HashPassword(UserRow user, string password) => Hasher.HashPassword(user, password);

    public static bool VerifyPassword(UserRow user, string password) =>
        user.PasswordHash is { } hash && Hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>Creates a user, or returns the existing one with that email unchanged.</summary>
    public Task<UserRow> EnsureAsync(string email, string name, string role, string? password, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => EnsureAsync(c, tx, email, name, role, password, clock.GetUtcNow().ToUnixTimeMilliseconds()), ct);

    public static async Task<UserRow> EnsureAsync(DbConnection c, DbTransaction tx, string email, string name, string role, string? password, long now)
    {
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Unknown role '{role}'; use one of {string.Join(", ", Roles.All)}.", nameof(role));
        var normalized = Normalize(email);
        var existing = await FindByEmailAsync(c, tx, normalized);
        if (existing is not null) return existing;
        var user = new UserRow
        {
            Email = email.Trim(), NormalizedEmail = normalized, Name = name, Role = role,
            SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = now, UpdatedAt = now,
        };
        if (password is not null) user.PasswordHash = HashPassword(user, password);
        user.Id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO users (email, normalized_email, name, role, password_hash, security_stamp, active, created_at, updated_at) " +
            "VALUES (@Email, @NormalizedEmail, @Name, @Role, @PasswordHash, @SecurityStamp, 1, @CreatedAt, @UpdatedAt) RETURNING id", user, tx);
        return user.MarkLoaded();
    }

    public static async Task<UserRow?> FindByEmailAsync(DbConnection c, DbTransaction? tx, string email) =>
        (await c.QuerySingleOrDefaultAsync<UserRow>("SELECT * FROM users WHERE normalized_email = @n", new { n = Normalize(email) }, tx))?.MarkLoaded();

    public static async Task<UserRow?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        (await c.QuerySingleOrDefaultAsync<UserRow>("SELECT * FROM users WHERE id = @id", new { id }, tx))?.MarkLoaded();

    public Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<UserRow>>(async c => (await c.QueryAsync<UserRow>("SELECT * FROM users ORDER BY name")).ToList(), ct);
}
