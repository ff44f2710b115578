using Dapper;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Accounts;

/// <summary>
/// Accounts on top of <see cref="WebWorld"/>: Acme, a buying group (two engaged people, one barely, nobody qualified,
/// split between two reps), and Umbrella, where one person is already an MQL waiting on Riley.
/// Engagement is set as the stored, current score the decay refresher keeps up to date.
/// </summary>
public sealed class AccountsWorld
{
    public required WebWorld Web { get; init; }
    public required long Acme { get; init; }
    public required long Umbrella { get; init; }
    public required long AcmeRileyEngaged { get; init; }
    public required long AcmeJordan { get; init; }
    public required long UmbrellaMql { get; init; }

    /// <param name="web">The company the accounts' people belong to, when the test has made it already.</param>
    public static async Task<AccountsWorld> CreateAsync(TandemServer server, WebWorld? web = null)
    {
        web ??= await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();

        async Task<long> Person(string email, string first, string last, string company, string stage, string owner, long engagement,
            string country, string industry)
        {
            var id = (await api.CaptureLeadAsync(new { email, firstName = first, lastName = last, company, title = "Engineer" })).Id();
            if (stage != "Lead") (await api.MoveStageAsync(id, stage)).EnsureSuccessStatusCode();
            await server.Database.WriteAsync((c, tx) => c.ExecuteAsync(
                "UPDATE people SET owner_id = @o, owner_team_id = (SELECT team_id FROM team_members WHERE user_id = @o), engagement_score = @engagement, " +
                "country = @country, industry = @industry WHERE id = @id",
                new { o = web.Users[owner], engagement, country, industry, id }, tx));
            return id;
        }

        var rileyEngaged = await Person("ada@acme.example", "Ada", "Acme", "Acme", "Lead", Emails.Riley, 30, "DE", "Manufacturing");
        await Person("bob@acme.example", "Bob", "Acme", "Acme", "Lead", Emails.Riley, 5, "DE", "Manufacturing");
        var jordan = await Person("cy@acme.example", "Cy", "Acme", "Acme", "Lead", Emails.Jordan, 26, "FR", "Manufacturing");
        var mql = await Person("uma@umbrella.example", "Uma", "Umbrella", "Umbrella", "MQL", Emails.Riley, 60, "US", "Pharma");
        await Person("ulf@umbrella.example", "Ulf", "Umbrella", "Umbrella", "Lead", Emails.Ana, 50, "SE", "Pharma");

        async Task<long> AccountOf(long person) =>
            await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT account_id FROM people WHERE id = @person", new { person }));
        return new AccountsWorld
        {
            Web = web, Acme = await AccountOf(rileyEngaged), Umbrella = await AccountOf(mql),
            AcmeRileyEngaged = rileyEngaged, AcmeJordan = jordan, UmbrellaMql = mql,
        };
    }
}
