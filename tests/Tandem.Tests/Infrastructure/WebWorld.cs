using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Users;

namespace Tandem.Tests.Infrastructure;

/// <summary>
/// A small company for web tests: an admin, a marketer, two sales teams each with a manager and reps, and leads
/// owned by different reps (plus one nobody owns), so every role's view differs.
/// </summary>
public sealed class WebWorld
{
    public const string Password = "correct-horse-battery";

    public required long RileyLead { get; init; }
    public required long RileySecondLead { get; init; }
    public required long JordanLead { get; init; }
    public required long AnaLead { get; init; }
    public required long UnownedLead { get; init; }
    public required IReadOnlyDictionary<string, long> Users { get; init; }

    public static class Emails
    {
        public const string Admin = "admin@t.example", Marketing = "maya@t.example", Manager = "sam@t.example", OtherManager = "mo@t.example",
            Riley = "riley@t.example", Jordan = "jordan@t.example", Ana = "ana@t.example";
    }

    public static async Task<WebWorld> CreateAsync(TandemServer server)
    {
        var store = server.Services.GetRequiredService<UserStore>();
        var users = new Dictionary<string, long>();
        foreach (var (email, name, role) in new[]
                 {
                     (Emails.Admin, "Avery Admin", Roles.Admin), (Emails.Marketing, "Maya Marketing", Roles.Marketing),
                     (Emails.Manager, "Sam Manager", Roles.SalesManager), (Emails.OtherManager, "Mo Manager", Roles.SalesManager),
                     (Emails.Riley, "Riley Rep", Roles.SalesRep), (Emails.Jordan, "Jordan Rep", Roles.SalesRep), (Emails.Ana, "Ana Rep", Roles.SalesRep),
                 })
            users[email] = (await store.EnsureAsync(email, name, role, Password)).Id;

        using var api = await server.AdminClientAsync();
        async Task<long> Lead(string email, string first, string last, string company, string stage, string? owner)
        {
            var id = (await api.CaptureLeadAsync(new { email, firstName = first, lastName = last, company, title = "Head of Data",
                attribution = new { utmSource = "google", utmMedium = "cpc", utmCampaign = "spring" } })).Id();
            if (stage != "Lead") (await api.MoveStageAsync(id, stage)).EnsureSuccessStatusCode();
            if (owner is not null)
                await server.Database.WriteAsync((c, tx) => c.ExecuteAsync(
                    "UPDATE people SET owner_id = @o, owner_assigned_at = @at, owner_team_id = (SELECT team_id FROM team_members WHERE user_id = @o) WHERE id = @id",
                    new { o = users[owner], at = DateTimeOffset.UtcNow.AddHours(-id).ToUnixTimeMilliseconds(), id }, tx));
            return id;
        }

        await server.Database.WriteAsync(async (c, tx) =>
        {
            await Team(c, tx, "Inbound", users[Emails.Manager], users[Emails.Riley], users[Emails.Jordan]);
            await Team(c, tx, "EMEA", users[Emails.OtherManager], users[Emails.Ana]);
        });
        return new WebWorld
        {
            Users = users,
            RileyLead = await Lead("rita@northwind.com", "Rita", "Northwind", "Northwind", "MQL", Emails.Riley),
            RileySecondLead = await Lead("raj@contoso.com", "Raj", "Contoso", "Contoso", "MQL", Emails.Riley),
            JordanLead = await Lead("jo@fabrikam.com", "Joanna", "Fabrikam", "Fabrikam", "SAL", Emails.Jordan),
            AnaLead = await Lead("anton@initech.de", "Anton", "Initech", "Initech", "MQL", Emails.Ana),
            UnownedLead = await Lead("nia@globex.com", "Nia", "Globex", "Globex", "Lead", null),
        };
    }

    private static async Task Team(DbConnection c, DbTransaction tx, string name, long manager, params long[] members)
    {
        var id = await c.ExecuteScalarAsync<long>("INSERT INTO teams (name, manager_user_id, created_at) VALUES (@name, @manager, 0) RETURNING id", new { name, manager }, tx);
        foreach (var m in members)
            await c.ExecuteAsync("INSERT INTO team_members (team_id, user_id, created_at) VALUES (@id, @m, 0)", new { id, m }, tx);
    }
}
