using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Api;

/// <summary>GET /api/v1/people: every sort, both directions, paged with a cursor, and the filters combined.</summary>
public abstract class PeopleListingTests(DatabaseProvider provider)
{
    // Lower-case ASCII names sort the same under SQLite's binary and PostgreSQL's locale collation.
    private static readonly (string Email, string? LastName)[] Leads =
    [
        ("d@acme.io", "berg"), ("b@acme.io", "ada"), ("f@acme.io", null), ("a@acme.io", "cruz"),
        ("e@acme.io", "ada"), ("c@acme.io", "berg"), ("g@acme.io", "dahl"),
    ];

    private static async Task<List<string>> PageThroughAsync(HttpClient api, string query, int limit)
    {
        var emails = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.GetJsonAsync($"/api/v1/people?{query}&limit={limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            var items = page.GetProperty("items");
            Assert.InRange(items.GetArrayLength(), 1, limit);
            emails.AddRange(items.EnumerateArray().Select(p => p.GetProperty("email").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        return emails;
    }

    [Fact]
    public async Task Every_sort_in_both_directions_pages_through_everyone_once_in_order()
    {
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        var created = new List<(string Email, string LastName, long Id, int Order)>();
        for (var i = 0; i < Leads.Length; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var person = await api.CaptureLeadAsync(new { email = Leads[i].Email, lastName = Leads[i].LastName });
            created.Add((Leads[i].Email, Leads[i].LastName ?? "", person.Id(), i));
        }
        // Updating the first lead last makes updatedAt order differ from createdAt order.
        clock.Advance(TimeSpan.FromMinutes(1));
        await api.CaptureLeadAsync(new { email = Leads[0].Email, title = "CMO" });
        long Updated((string Email, string LastName, long Id, int Order) p) => p.Order == 0 ? Leads.Length : p.Order;

        var expected = new Dictionary<string, IEnumerable<string>>
        {
            ["createdAt"] = created.OrderBy(p => p.Order).Select(p => p.Email),
            ["-createdAt"] = created.OrderByDescending(p => p.Order).Select(p => p.Email),
            ["updatedAt"] = created.OrderBy(Updated).Select(p => p.Email),
            ["-updatedAt"] = created.OrderByDescending(Updated).Select(p => p.Email),
            ["lastName"] = created.OrderBy(p => p.LastName, StringComparer.Ordinal).ThenBy(p => p.Id).Select(p => p.Email),
            ["-lastName"] = created.OrderByDescending(p => p.LastName, StringComparer.Ordinal).ThenByDescending(p => p.Id).Select(p => p.Email),
            ["email"] = created.OrderBy(p => p.Email, StringComparer.Ordinal).Select(p => p.Email),
            ["-email"] = created.OrderByDescending(p => p.Email, StringComparer.Ordinal).Select(p => p.Email),
        };
        foreach (var (sort, order) in expected)
            Assert.Equal(order.ToList(), await PageThroughAsync(api, "sort=" + Uri.EscapeDataString(sort), limit: 2));
        // No sort given: newest first.
        Assert.Equal(expected["-createdAt"].ToList(), await PageThroughAsync(api, "stage=Lead", limit: 3));
    }

    [Fact]
    public async Task A_cursor_from_another_sort_is_a_problem_naming_cursor()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        for (var i = 0; i < 3; i++) await api.CaptureLeadAsync(new { email = $"p{i}@acme.io" });
        var page = await api.GetJsonAsync("/api/v1/people?sort=email&limit=1");
        var cursor = page.GetProperty("nextCursor").GetString()!;

        var response = await api.GetAsync($"/api/v1/people?sort=-email&limit=1&cursor={Uri.EscapeDataString(cursor)}", ct);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("cursor", out _));
    }

    [Fact]
    public async Task Filters_by_email_stage_country_text_and_time_combine()
    {
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        await api.CaptureLeadAsync(new { email = "old@northwind.com", company = "Northwind", country = "DE" });
        clock.Advance(TimeSpan.FromDays(2));
        var since = clock.GetUtcNow();
        await api.CaptureLeadAsync(new { email = "new@northwind.com", company = "Northwind", country = "de" });
        await api.CaptureLeadAsync(new { email = "sub@contoso.com", company = "Contoso", country = "DE", stage = "Subscriber" });
        await api.CaptureLeadAsync(new { email = "us@northwind.com", company = "Northwind", country = "US" });

        async Task<List<string>> EmailsAsync(string query) =>
            (await api.GetJsonAsync("/api/v1/people?sort=email&" + query)).GetProperty("items").EnumerateArray()
                .Select(p => p.GetProperty("email").GetString()!).ToList();

        Assert.Equal(["new@northwind.com"], await EmailsAsync("email=%20New@Northwind.com%20"));
        Assert.Equal(["new@northwind.com", "old@northwind.com", "sub@contoso.com"], await EmailsAsync("country=DE"));
        Assert.Equal(["new@northwind.com", "old@northwind.com"], await EmailsAsync("country=de&stage=Lead,MQL"));
        Assert.Equal(["sub@contoso.com"], await EmailsAsync("q=contoso"));
        var after = Uri.EscapeDataString(since.ToString("O"));
        Assert.Equal(["new@northwind.com", "us@northwind.com"], await EmailsAsync($"createdAfter={after}&q=northwind"));
        Assert.Equal(["old@northwind.com"], await EmailsAsync($"createdBefore={after}"));
        Assert.Equal(3, (await EmailsAsync($"updatedSince={after}")).Count);
    }
}

public sealed class PeopleListingTestsOnSqlite() : PeopleListingTests(DatabaseProvider.Sqlite);

public sealed class PeopleListingTestsOnPostgres() : PeopleListingTests(DatabaseProvider.Postgres);
