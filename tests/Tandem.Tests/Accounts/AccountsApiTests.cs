using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Accounts;

/// <summary>Accounts with their people's engagement summed in SQL, filtered, sorted and paged through the API.</summary>
public abstract class AccountsApiTests(DatabaseProvider provider)
{
    private static IReadOnlyList<string> Names(JsonElement list) => list.EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task An_account_sums_its_peoples_engagement_and_shows_a_buying_group_before_anyone_qualifies()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await AccountsWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();

        var acme = (await api.GetJsonAsync($"/api/v1/accounts/{world.Acme}")).GetProperty("engagement");
        var umbrella = (await api.GetJsonAsync($"/api/v1/accounts/{world.Umbrella}")).GetProperty("engagement");
        var buyingGroups = await api.GetJsonAsync("/api/v1/accounts?buyingGroup=true");

        Assert.Equal(61, acme.GetProperty("total").GetInt64());
        Assert.Equal(2, acme.GetProperty("engagedPeople").GetInt64());
        Assert.Equal(0, acme.GetProperty("qualifiedPeople").GetInt64());
        Assert.True(acme.GetProperty("buyingGroup").GetBoolean());
        Assert.Equal(2, acme.GetProperty("band").GetInt32());
        // Umbrella is more engaged, but someone there is already an MQL: a hand-off, not a buying group.
        Assert.Equal(110, umbrella.GetProperty("total").GetInt64());
        Assert.False(umbrella.GetProperty("buyingGroup").GetBoolean());
        Assert.Equal(1, umbrella.GetProperty("openHandoffs").GetInt64());
        Assert.Equal(1, umbrella.GetProperty("band").GetInt32());
        Assert.Equal(["Acme"], Names(buyingGroups));
    }

    [Fact]
    public async Task Accounts_filter_by_name_industry_country_owner_band_and_open_handoffs_and_sort_by_engagement()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await AccountsWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var jordan = world.Web.Users[WebWorld.Emails.Jordan];

        Assert.Equal(["Acme"], Names(await api.GetJsonAsync("/api/v1/accounts?q=ACME.exa")));
        Assert.Equal(["Umbrella"], Names(await api.GetJsonAsync("/api/v1/accounts?industry=pharma")));
        Assert.Equal(["Acme"], Names(await api.GetJsonAsync("/api/v1/accounts?country=fr")));
        Assert.Equal(["Acme", "Fabrikam"], Names(await api.GetJsonAsync($"/api/v1/accounts?owner={jordan}&sort=name")));
        Assert.Equal(["Acme"], Names(await api.GetJsonAsync("/api/v1/accounts?band=2")));
        Assert.Equal(["Contoso", "Fabrikam", "Initech", "Northwind", "Umbrella"], Names(await api.GetJsonAsync("/api/v1/accounts?openHandoffs=true&sort=name")));
        var byEngagement = Names(await api.GetJsonAsync("/api/v1/accounts?sort=-engagement&limit=2"));
        Assert.Equal(["Umbrella", "Acme"], byEngagement);
    }

    [Fact]
    public async Task A_filter_that_cannot_be_used_is_a_problem_naming_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var band = await (await api.GetAsync("/api/v1/accounts?band=9", ct)).ProblemAsync();
        var flag = await (await api.GetAsync("/api/v1/accounts?buyingGroup=maybe", ct)).ProblemAsync();
        var sort = await (await api.GetAsync("/api/v1/accounts?sort=revenue", ct)).ProblemAsync();

        Assert.True(band.GetProperty("errors").TryGetProperty("band", out _));
        Assert.True(flag.GetProperty("errors").TryGetProperty("buyingGroup", out _));
        Assert.True(sort.GetProperty("errors").TryGetProperty("sort", out _));
    }

    [Fact]
    public async Task A_long_list_is_paged_with_a_next_link_rather_than_cut_at_the_limit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await server.Database.WriteAsync(async (c, tx) =>
        {
            for (var i = 0; i < 7; i++)
                await c.ExecuteAsync("INSERT INTO accounts (name, domain, normalized_name, created_at, updated_at) VALUES (@name, @domain, @name, 0, 0)",
                    new { name = $"account {i}", domain = $"a{i}.example" }, tx);
        }, ct);
        using var api = await server.AdminClientAsync();

        var seen = new List<string>();
        string? next = "/api/v1/accounts?limit=3&sort=name";
        var pages = 0;
        while (next is not null)
        {
            var response = await api.GetAsync(next, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("7", response.Headers.GetValues("X-Total-Count").Single());
            seen.AddRange(Names(await response.Content.ReadFromJsonAsync<JsonElement>(ct)));
            next = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"account {i}"), seen);
    }

    [Fact]
    public async Task Merged_away_people_count_neither_as_people_nor_as_engagement()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await AccountsWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();

        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET merged_into_id = @into WHERE id = @id",
            new { into = world.AcmeRileyEngaged, id = world.AcmeJordan }, tx), ct);
        var acme = await api.GetJsonAsync($"/api/v1/accounts/{world.Acme}");

        Assert.Equal(2, acme.GetProperty("people").GetInt64());
        Assert.Equal(35, acme.GetProperty("engagement").GetProperty("total").GetInt64());
        Assert.False(acme.GetProperty("engagement").GetProperty("buyingGroup").GetBoolean());
    }
}

public sealed class AccountsApiTestsOnSqlite() : AccountsApiTests(DatabaseProvider.Sqlite);

public sealed class AccountsApiTestsOnPostgres() : AccountsApiTests(DatabaseProvider.Postgres);
