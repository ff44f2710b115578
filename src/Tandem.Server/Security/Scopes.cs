namespace Tandem.Server.Security;

/// <summary>What an API key may do. admin implies every scope; write implies read; email:write implies email:read; nurture:write implies nurture:read; stalls:write implies stalls:read; read and plans:write imply reports:read.</summary>
internal static class Scopes
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    /// <summary>Email settings, templates and logs: read them.</summary>
    public const string EmailRead = "email:read";

    /// <summary>Email settings and templates: change them (and read them).</summary>
    public const string EmailWrite = "email:write";

    /// <summary>Nurture programs apart from people: marketing may run programs with a key that cannot edit leads.</summary>
    public const string NurtureRead = "nurture:read";
    public const string NurtureWrite = "nurture:write";

    /// <summary>The reports (attribution, campaigns, content…): aggregate figures, for a dashboard's key that may not read people.</summary>
    public const string ReportsRead = "reports:read";

    /// <summary>Stalled leads, stall rules and the revival report: read them; stalls:write also edits rules and acts on stalls.</summary>
    public const string StallsRead = "stalls:read";
    public const string StallsWrite = "stalls:write";

    /// <summary>Revenue plans: create, change and delete them (reading them takes reports:read, which this implies).</summary>
    public const string PlansWrite = "plans:write";

    public static readonly IReadOnlyList<string> All = [Ingest, Read, Write, Admin, EmailRead, EmailWrite, NurtureRead, NurtureWrite, ReportsRead, StallsRead, StallsWrite, PlansWrite];

    public static bool IsKnown(string scope) => All.Contains(scope);

    /// <summary>True when the request's API key may act with <paramref name="required"/>.</summary>
    public static bool Allows(System.Security.Claims.ClaimsPrincipal user, string required) =>
        Allows(user.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value).ToList(), required);

    /// <summary>True when a key holding <paramref name="granted"/> may act with <paramref name="required"/>.</summary>
    public static bool Allows(IReadOnlyCollection<string> granted, string required) =>
        granted.Contains(required) || granted.Contains(Admin) || (required == Read && granted.Contains(Write)) ||
        (required == EmailRead && granted.Contains(EmailWrite)) || (required == NurtureRead && granted.Contains(NurtureWrite)) ||
        (required == StallsRead && granted.Contains(StallsWrite)) || (required == ReportsRead && (granted.Contains(Read) || granted.Contains(Write) || granted.Contains(PlansWrite)));
}
