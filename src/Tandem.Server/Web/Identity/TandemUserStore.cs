using Dapper;
using Microsoft.AspNetCore.Identity;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Identity;

/// <summary>
/// ASP.NET Core Identity's view of the users table. A user has exactly one role, so adding a role replaces it.
/// The email is the user name people sign in with.
/// </summary>
internal sealed class TandemUserStore(Database db, TimeProvider clock) :
    IUserPasswordStore<UserRow>, IUserLockoutStore<UserRow>, IUserSecurityStampStore<UserRow>, IUserRoleStore<UserRow>
{
    public Task<string> GetUserIdAsync(UserRow user, CancellationToken ct) => Task.FromResult(user.Id.ToString());
    public Task<string?> GetUserNameAsync(UserRow user, CancellationToken ct) => Task.FromResult<string?>(user.Email);
    public Task SetUserNameAsync(UserRow user, string? userName, CancellationToken ct) { user.Email = userName?.Trim() ?? ""; return Task.CompletedTask; }
    public Task<string?> GetNormalizedUserNameAsync(UserRow user, CancellationToken ct) => Task.FromResult<string?>(user.NormalizedEmail);
    public Task SetNormalizedUserNameAsync(UserRow user, string? normalizedName, CancellationToken ct) { user.NormalizedEmail = normalizedName ?? ""; return Task.CompletedTask; }

    public async Task<IdentityResult> CreateAsync(UserRow user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        user.CreatedAt = user.UpdatedAt = now;
        if (string.IsNullOrEmpty(user.SecurityStamp)) user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.Id = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(
            "INSERT INTO users (email, normalized_email, name, role, password_hash, security_stamp, access_failed_count, lockout_end, active, created_at, updated_at) " +
            "VALUES (@Email, @NormalizedEmail, @Name, @Role, @PasswordHash, @SecurityStamp, @AccessFailedCount, @LockoutEnd, @Active, @CreatedAt, @UpdatedAt) RETURNING id",
            user, tx), ct);
        user.MarkLoaded();
        return IdentityResult.Success;
    }

    /// <summary>
    /// Writes only the columns that changed since the row was read, and only if each still holds the value read; otherwise
    /// nothing is written and the answer is a concurrency failure. So a sign-in that read the user before an admin changed
    /// their role or deactivated them cannot write the old role or "active" back, and two sign-ins cannot both reset the
    /// same failure count.
    /// </summary>
    public async Task<IdentityResult> UpdateAsync(UserRow user, CancellationToken ct)
    {
        if (user.Loaded is not { } before)
            throw new InvalidOperationException($"User {user.Id} was not read through the user store, so what changed is unknown.");
        var after = UserColumns.Of(user);
        var changed = after.Values().Zip(before.Values()).Where(p => !Equals(p.First.Value, p.Second.Value)).ToList();
        if (changed.Count == 0) return IdentityResult.Success;

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var parameters = new DynamicParameters(new { user.Id, now });
        var set = new List<string>();
        var unchangedSince = new List<string>();
        foreach (var ((column, value), (_, was)) in changed)
        {
            parameters.Add("new_" + column, value);
            set.Add($"{column} = @new_{column}");
            if (was is null) unchangedSince.Add($"{column} IS NULL");
            else
            {
                parameters.Add("was_" + column, was);
                unchangedSince.Add($"{column} = @was_{column}");
            }
        }
        var written = await db.WriteAsync((c, tx) => c.ExecuteAsync(
            $"UPDATE users SET {string.Join(", ", set)}, updated_at = @now WHERE id = @Id AND {string.Join(" AND ", unchangedSince)}",
            parameters, tx), ct);
        if (written == 0) return IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
        user.UpdatedAt = now;
        user.MarkLoaded();
        return IdentityResult.Success;
    }

    // Users own leads and appear in stage histories, so they are deactivated, never deleted.
    public Task<IdentityResult> DeleteAsync(UserRow user, CancellationToken ct) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "NotSupported", Description = "Users are deactivated, not deleted." }));

    public Task<UserRow?> FindByIdAsync(string userId, CancellationToken ct) =>
        long.TryParse(userId, out var id) ? db.ReadAsync(c => UserStore.FindAsync(c, null, id), ct) : Task.FromResult<UserRow?>(null);

    public Task<UserRow?> FindByNameAsync(string normalizedUserName, CancellationToken ct) =>
        db.ReadAsync(c => UserStore.FindByEmailAsync(c, null, normalizedUserName), ct);

    public Task SetPasswordHashAsync(UserRow user, string? passwordHash, CancellationToken ct) { user.PasswordHash = passwordHash; return Task.CompletedTask; }
    public Task<string?> GetPasswordHashAsync(UserRow user, CancellationToken ct) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(UserRow user, CancellationToken ct) => Task.FromResult(user.PasswordHash is not null);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(UserRow user, CancellationToken ct) =>
        Task.FromResult(user.LockoutEnd is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : (DateTimeOffset?)null);
    public Task SetLockoutEndDateAsync(UserRow user, DateTimeOffset? lockoutEnd, CancellationToken ct) { user.LockoutEnd = lockoutEnd?.ToUnixTimeMilliseconds(); return Task.CompletedTask; }

    /// <summary>
    /// Counts a failure in the database itself (one UPDATE … + 1 … RETURNING), so parallel wrong passwords each count
    /// rather than all writing "one more than I read"; the row's current count and lockout become what this request knows.
    /// </summary>
    public async Task<int> IncrementAccessFailedCountAsync(UserRow user, CancellationToken ct)
    {
        var (count, lockoutEnd) = await db.WriteAsync((c, tx) => c.QuerySingleAsync<(long Count, long? LockoutEnd)>(
            "UPDATE users SET access_failed_count = access_failed_count + 1 WHERE id = @Id RETURNING access_failed_count, lockout_end",
            new { user.Id }, tx), ct);
        user.MarkCounted(count, lockoutEnd);
        return (int)count;
    }
    public Task ResetAccessFailedCountAsync(UserRow user, CancellationToken ct) { user.AccessFailedCount = 0; return Task.CompletedTask; }
    public Task<int> GetAccessFailedCountAsync(UserRow user, CancellationToken ct) => Task.FromResult((int)user.AccessFailedCount);
    public Task<bool> GetLockoutEnabledAsync(UserRow user, CancellationToken ct) => Task.FromResult(true);
    public Task SetLockoutEnabledAsync(UserRow user, bool enabled, CancellationToken ct) => Task.CompletedTask;

    public Task SetSecurityStampAsync(UserRow user, string stamp, CancellationToken ct) { user.SecurityStamp = stamp; return Task.CompletedTask; }
    public Task<string?> GetSecurityStampAsync(UserRow user, CancellationToken ct) => Task.FromResult<string?>(user.SecurityStamp);

    public Task AddToRoleAsync(UserRow user, string roleName, CancellationToken ct)
    {
        var role = roleName.ToLowerInvariant();
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Unknown role '{roleName}'.", nameof(roleName));
        user.Role = role;
        return Task.CompletedTask;
    }

    // Every user must keep one role; removing the current one is refused rather than leaving the user roleless.
    public Task RemoveFromRoleAsync(UserRow user, string roleName, CancellationToken ct) =>
        string.Equals(user.Role, roleName, StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException("A user always has one role; add another role to replace it.")
            : Task.CompletedTask;

    public Task<IList<string>> GetRolesAsync(UserRow user, CancellationToken ct) => Task.FromResult<IList<string>>([user.Role]);
    public Task<bool> IsInRoleAsync(UserRow user, string roleName, CancellationToken ct) =>
        Task.FromResult(string.Equals(user.Role, roleName, StringComparison.OrdinalIgnoreCase));

    public async Task<IList<UserRow>> GetUsersInRoleAsync(string roleName, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<UserRow>("SELECT * FROM users WHERE role = @role ORDER BY name", new { role = roleName.ToLowerInvariant() }), ct)).ToList();

    public void Dispose() { }
}
