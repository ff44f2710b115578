using System.Data.Common;
using Dapper;
using Tandem.Domain.Identity;

namespace Tandem.Server.Users;

/// <summary>
/// Creating a user and resetting a password outside the web app: the command line and the first-start setup page.
/// The rules match the Users page's (ASP.NET Core Identity with the options in WebModule).
/// </summary>
internal static class UserAccounts
{
    /// <summary>The same minimum the web app's Identity options ask for: long passphrases, no composition rules.</summary>
    public const int MinPasswordLength = 10;

    public static string? CheckEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) || !EmailAddress.TryParse(email.Trim(), out _) ? "Enter a valid email address." : null;

    public static string? CheckPassword(string? password) =>
        password is null || password.Length < MinPasswordLength ? $"Passwords must be at least {MinPasswordLength} characters." : null;

    /// <summary>A new user, or null when someone already signs in with that email.</summary>
    public static async Task<UserRow?> CreateAsync(DbConnection c, DbTransaction tx, string email, string name, string role, string password, long now)
    {
        if (await UserStore.FindByEmailAsync(c, tx, email) is not null) return null;
        return await UserStore.EnsureAsync(c, tx, email, name, role, password, now);
    }

    /// <summary>
    /// Sets a new password, clears any lockout and changes the security stamp, so every session signed in with the old
    /// password ends. Null when no user has that email.
    /// </summary>
    public static async Task<UserRow?> ResetPasswordAsync(DbConnection c, DbTransaction tx, string email, string password, long now)
    {
        var user = await UserStore.FindByEmailAsync(c, tx, email);
        if (user is null) return null;
        user.PasswordHash = UserStore.HashPassword(user, password);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        user.UpdatedAt = now;
        await c.ExecuteAsync(
            "UPDATE users SET password_hash = @PasswordHash, security_stamp = @SecurityStamp, access_failed_count = 0, lockout_end = NULL, " +
            "updated_at = @UpdatedAt WHERE id = @Id", user, tx);
        return user.MarkLoaded();
    }

    /// <summary>A display name for a user created without one: the address's local part.</summary>
    public static string DefaultName(string email) => email.Trim().Split('@')[0];
}
