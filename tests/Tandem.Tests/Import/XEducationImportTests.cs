using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Import;

/// <summary>
/// Import suites that run one after another (thousands of rows each, and on PostgreSQL a server and its connection pool
/// per test), beside the other parallel suites. The test that needs hundreds of connections runs alone after all of them
/// (<see cref="Api.ConcurrencyTests"/>), so these never crowd its share of the database server's connection limit.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LargeImports
{
    public const string Name = "Large imports";
}

/// <summary>The project's real-world case: the X Education lead export (9,240 leads, messy on purpose).</summary>
[Collection(LargeImports.Name)]
public abstract class XEducationImportTests(DatabaseProvider provider)
{
    [Fact]
    public async Task X_education_file_imports_9240_people_with_sources_activities_and_outcomes()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var job = await api.ImportAsync(ImportApi.Sample("x-education-leads.csv"));

        Assert.Equal("completed", job.GetProperty("status").GetString());
        // Every row identifies a lead by its Prospect ID, and no cell is genuinely invalid: nothing is rejected.
        Assert.Equal(9240, job.Count("created"));
        Assert.Equal(0, job.Count("errors"));
        var db = server.Database;
        Assert.Equal(9240, await db.ScalarAsync("SELECT COUNT(*) FROM people"));
        Assert.Equal(3561, await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE stage = 'Customer'"));
        Assert.Equal(5679, await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE stage = 'Lead'"));
        // "Google" (2,868) and "google" (5) are one channel.
        Assert.Equal(2873, await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE first_touch_channel = 'Google'"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE first_touch_channel = 'google'"));
        Assert.Equal(2543, await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE first_touch_channel = 'Direct'"));
        Assert.Equal(734, await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE do_not_email = 1"));
        // "Select" is an unanswered drop-down: no lead has it as a value.
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE custom_fields LIKE '%\"Select\"%'"));

        var id = await db.PersonIdAsync("import", "2a272436-5132-4136-86fa-dcc88c88f482");
        var timeline = await api.GetJsonAsync($"/api/v1/people/{id}/timeline?limit=50");
        var items = timeline.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, a => a.GetProperty("type").GetString() == "website_visits" && a.GetProperty("properties").GetProperty("count").GetInt32() == 5);
        Assert.Contains(items, a => a.GetProperty("type").GetString() == "time_on_website" && a.GetProperty("properties").GetProperty("seconds").GetInt32() == 674);
        Assert.Contains(items, a => a.GetProperty("type").GetString() == "email_opened");
        var person = await api.GetJsonAsync($"/api/v1/people/{id}");
        Assert.Equal("India", person.GetProperty("country").GetString());
        Assert.Equal("Organic Search", person.GetProperty("firstTouch").GetProperty("attribution").GetProperty("channel").GetString());
        Assert.Equal("Unemployed", person.GetProperty("customFields").GetProperty("what_is_your_current_occupation").GetString());
    }
}

[Collection(LargeImports.Name)]
public sealed class XEducationImportTestsOnSqlite() : XEducationImportTests(DatabaseProvider.Sqlite);

[Collection(LargeImports.Name)]
public sealed class XEducationImportTestsOnPostgres() : XEducationImportTests(DatabaseProvider.Postgres);
