namespace Tandem.Server.Users;

/// <summary>One row of the users table: someone who signs in (and, for sales, owns leads).</summary>
internal sealed class UserRow
{
    public long Id { get; set; }
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = Roles.SalesRep;
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public long AccessFailedCount { get; set; }
    public long? LockoutEnd { get; set; }
    public long Active { get; set; } = 1;
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public bool IsActive => Active != 0;

    /// <summary>
    /// The columns as they were read (or last written), so an update can write only what changed since and only if
    /// those columns still hold what was read; null for a row built in memory and never stored.
    /// </summary>
    public UserColumns? Loaded { get; private set; }

    /// <summary>Marks the current values as the ones the database holds.</summary>
    public UserRow MarkLoaded()
    {
        Loaded = UserColumns.Of(this);
        return this;
    }

    /// <summary>Takes the failure count and lockout the database holds now; any other change not yet written stays a change.</summary>
    public void MarkCounted(long accessFailedCount, long? lockoutEnd)
    {
        (AccessFailedCount, LockoutEnd) = (accessFailedCount, lockoutEnd);
        Loaded = (Loaded ?? UserColumns.Of(this)) with { AccessFailedCount = accessFailedCount, LockoutEnd = lockoutEnd };
    }
}

/// <summary>The users columns an update may write, by their column names.</summary>
internal sealed record UserColumns(string Email, string NormalizedEmail, string Name, string Role, string? PasswordHash, string SecurityStamp,
    long AccessFailedCount, long? LockoutEnd, long Active)
{
    public static UserColumns Of(UserRow u) =>
        new(u.Email, u.NormalizedEmail, u.Name, u.Role, u.PasswordHash, u.SecurityStamp, u.AccessFailedCount, u.LockoutEnd, u.Active);

    /// <summary>Each column with its value, in a fixed order.</summary>
    public IEnumerable<(string Column, object? Value)> Values() =>
    [
        ("email", Email), ("normalized_email", NormalizedEmail), ("name", Name), ("role", Role), ("password_hash", PasswordHash),
        ("security_stamp", SecurityStamp), ("access_failed_count", AccessFailedCount), ("lockout_end", LockoutEnd), ("active", Active),
    ];
}
