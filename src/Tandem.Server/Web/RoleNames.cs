using Tandem.Server.Users;

namespace Tandem.Server.Web;

/// <summary>How roles read on screen.</summary>
internal static class RoleNames
{
    public static string Of(string role) => role switch
    {
        Roles.Admin => "Admin",
        Roles.Marketing => "Marketing",
        Roles.SalesManager => "Sales manager",
        Roles.SalesRep => "Sales rep",
        _ => role,
    };
}
