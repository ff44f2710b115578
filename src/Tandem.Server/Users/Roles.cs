namespace Tandem.Server.Users;

/// <summary>The roles of the people who sign in to Tandem.</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string Marketing = "marketing";
    public const string SalesManager = "sales_manager";
    public const string SalesRep = "sales_rep";

    public static readonly IReadOnlyList<string> All = [Admin, Marketing, SalesManager, SalesRep];

    public static bool IsKnown(string role) => All.Contains(role);
}
