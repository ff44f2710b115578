namespace Tandem.Server.Security;

/// <summary>What an API key may do. admin implies every scope; write implies read; nurture:write implies nurture:read.</summary>
internal static class Scopes
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    /// <summary>Nurture programs apart from people: marketing may run programs with a key that cannot edit leads.</summary>
    public const string NurtureRead = "nurture:read";
    public const string NurtureWrite = "nurture:write";

    public static readonly IReadOnlyList<string> All = [Ingest, Read, Write, Admin, NurtureRead, NurtureWrite];

    public static bool IsKnown(string scope) => All.Contains(scope);

    /// <summary>True when a key holding <paramref name="granted"/> may act with <paramref name="required"/>.</summary>
    public static bool Allows(IReadOnlyCollection<string> granted, string required) =>
        granted.Contains(required) || granted.Contains(Admin) || (required == Read && granted.Contains(Write))
        || (required == NurtureRead && granted.Contains(NurtureWrite));
}
