using System.Net;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Accounts;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>The accounts list and an account's page, for each role: sales see accounts through the leads they may see.</summary>
public abstract class AccountPagesTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_manager_finds_the_buying_group_and_its_page_lists_its_people_activity_and_hand_offs()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await AccountsWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        var list = WebUtility.HtmlDecode(await sam.GetPageAsync("/accounts?buyingGroup=true"));
        var acme = WebUtility.HtmlDecode(await sam.GetPageAsync($"/accounts/{world.Acme}"));
        var umbrella = WebUtility.HtmlDecode(await sam.GetPageAsync($"/accounts/{world.Umbrella}"));

        Assert.Contains("<strong>1</strong> account", list);
        Assert.Contains($"href=\"/accounts/{world.Acme}\"", list);
        Assert.Contains("buying group: 2 engaged people, none qualified", list);
        Assert.Contains("buying group: 2 engaged people, none qualified", acme);
        Assert.Contains($"href=\"/people/{world.AcmeJordan}\"", acme);
        Assert.Contains("Jordan Rep", acme);
        Assert.Contains("Nobody here is waiting on sales.", acme);
        // Sam sees Riley's MQL at Umbrella waiting on her, with the move that put it there, but not Ana's lead (another team).
        Assert.Contains($"href=\"/people/{world.UmbrellaMql}\"", umbrella);
        Assert.Contains("Uma Umbrella", umbrella);
        Assert.Contains("Stage Lead → MQL", umbrella);
        Assert.DoesNotContain("Ulf", umbrella);
        Assert.Contains("data-testid=\"account-engagement-total\">60<", umbrella);
    }

    [Fact]
    public async Task A_rep_sees_only_the_accounts_of_their_own_leads_counted_over_those_leads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await AccountsWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        var initech = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT account_id FROM people WHERE id = @id", new { id = world.Web.AnaLead }), ct);

        var rileys = WebUtility.HtmlDecode(await riley.GetPageAsync("/accounts"));
        var acme = WebUtility.HtmlDecode(await riley.GetPageAsync($"/accounts/{world.Acme}"));
        var mayas = WebUtility.HtmlDecode(await maya.GetPageAsync("/accounts"));

        Assert.Contains("<strong>4</strong> accounts", rileys); // Northwind, Contoso, Acme, Umbrella
        Assert.DoesNotContain("Initech", rileys);
        Assert.Equal(HttpStatusCode.NotFound, (await riley.GetAsync($"/accounts/{initech}")).StatusCode);
        // Through Riley's two Acme leads only: 30 + 5, one of them engaged, so no buying group for her.
        Assert.Contains("data-testid=\"account-engagement-total\">35<", acme);
        Assert.DoesNotContain("Cy Acme", acme);
        Assert.DoesNotContain("buying group", acme);
        Assert.Contains("<strong>7</strong> accounts", mayas);
        Assert.Contains("Initech", mayas);
    }

    [Fact]
    public async Task Every_role_that_sees_people_finds_accounts_in_the_menu()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        foreach (var email in new[] { Emails.Admin, Emails.Marketing, Emails.Manager, Emails.Riley })
        {
            using var session = await WebSession.SignInAsync(server, email);
            Assert.Contains("<a href=\"/accounts\"", await session.GetPageAsync("/people"));
        }
    }

    [Fact]
    public async Task The_list_pages_past_fifty_accounts_instead_of_cutting_them_off()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        await server.Database.WriteAsync(async (c, tx) =>
        {
            for (var i = 0; i < 60; i++)
                await c.ExecuteAsync("INSERT INTO accounts (name, domain, normalized_name, created_at, updated_at) VALUES (@name, @domain, @name, 0, 0)",
                    new { name = $"Zeta {i:00}", domain = $"zeta{i}.example" }, tx);
        }, ct);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);

        var first = await maya.GetPageAsync("/accounts?q=zeta&sort=name");
        var second = await maya.GetPageAsync("/accounts?q=zeta&sort=name&p=2");

        Assert.Contains("<strong>60</strong> accounts", first);
        Assert.Contains("Page 1 of 2", first);
        Assert.Contains("Zeta 49", first);
        Assert.DoesNotContain("Zeta 50", first);
        Assert.Contains("Zeta 59", second);
        Assert.DoesNotContain("Zeta 49", second);
    }

    [Fact]
    public async Task Names_and_filters_are_output_encoded_and_a_bad_filter_lists_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await AccountsWorld.CreateAsync(server);
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE accounts SET name = '<script>alert(1)</script>' WHERE id = @id",
            new { id = world.Acme }, tx), ct);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);

        var list = await maya.GetPageAsync("/accounts?q=%3Cscript%3E");
        var page = await maya.GetPageAsync($"/accounts/{world.Acme}");
        var bad = await maya.GetPageAsync("/accounts?band=%3Cb%3E9");

        Assert.DoesNotContain("<script>alert", list);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", list);
        Assert.DoesNotContain("<script>alert", page);
        Assert.Contains("<strong>0</strong> accounts", bad);
        Assert.Contains("&lt;b&gt;9", bad);
        Assert.Contains("band: '<b>9' is not a band", WebUtility.HtmlDecode(bad));
    }
}

public sealed class AccountPagesTestsOnSqlite() : AccountPagesTests(DatabaseProvider.Sqlite);

public sealed class AccountPagesTestsOnPostgres() : AccountPagesTests(DatabaseProvider.Postgres);
