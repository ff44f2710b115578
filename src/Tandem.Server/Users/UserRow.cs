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
}
