using System.Text;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Import;

/// <summary>An import keeps the original timeline: a created-date column sets when the person was created.</summary>
public abstract class CreatedDateImportTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Today = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task<long> CreatedAtAsync(TandemServer server, string source, string id)
    {
        var personId = await server.Database.PersonIdAsync(source, id);
        return await server.Database.ScalarAsync("SELECT created_at FROM people WHERE id = @personId", new { personId });
    }

    [Fact]
    public async Task Hubspot_create_date_and_pipedrive_lead_created_set_created_at()
    {
        await using var server = await TandemServer.StartAsync(provider, new ManualClock(Today));
        using var api = await server.AdminClientAsync();

        var hubspot = "Record ID,First Name,Email,Lifecycle Stage,Create Date\n" +
                      "101,Ada,ada@example.com,Lead,2025-03-05 14:22\n" +
                      "102,Bo,bo@example.com,Lead,\n";
        var job = await api.ImportBytesAsync(Encoding.UTF8.GetBytes(hubspot), "hubspot.csv");
        Assert.Equal((2, 0), (job.Count("created"), job.Count("errors")));
        Assert.Equal(new DateTimeOffset(2025, 3, 5, 14, 22, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), await CreatedAtAsync(server, "hubspot", "101"));
        // No date in the row: the person is created when the import saw them.
        Assert.Equal(Today.ToUnixTimeMilliseconds(), await CreatedAtAsync(server, "hubspot", "102"));

        var pipedrive = "Person - ID,Person - Name,Person - Email,Lead created\n7,Cy Twombly,cy@example.com,4/1/2024\n";
        await api.ImportBytesAsync(Encoding.UTF8.GetBytes(pipedrive), "pipedrive.csv");
        Assert.Equal(new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), await CreatedAtAsync(server, "pipedrive", "7"));
    }

    [Fact]
    public async Task A_mapped_column_pulls_created_at_back_but_never_forward_and_a_future_date_is_ignored()
    {
        await using var server = await TandemServer.StartAsync(provider, new ManualClock(Today));
        using var api = await server.AdminClientAsync();
        const string mapping = """{ "columns": { "Signed up": "createdAt" }, "externalIdSource": "legacy" }""";

        await api.ImportBytesAsync(Encoding.UTF8.GetBytes("Id,Email,Signed up\n1,a@example.com,2025-06-01\n2,b@example.com,2027-01-01\n"), "first.csv", mapping: mapping);
        var june = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(june, await CreatedAtAsync(server, "legacy", "1"));
        // A creation date after the import is not a fact yet: the person is created now.
        Assert.Equal(Today.ToUnixTimeMilliseconds(), await CreatedAtAsync(server, "legacy", "2"));

        // A later file with a later date does not move the creation forward; an earlier one pulls it back.
        await api.ImportBytesAsync(Encoding.UTF8.GetBytes("Id,Email,Signed up\n1,a@example.com,2025-09-01\n2,b@example.com,2024-02-29\n"), "second.csv", mapping: mapping);
        Assert.Equal(june, await CreatedAtAsync(server, "legacy", "1"));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), await CreatedAtAsync(server, "legacy", "2"));
    }
}

public sealed class CreatedDateImportTestsOnSqlite() : CreatedDateImportTests(DatabaseProvider.Sqlite);

public sealed class CreatedDateImportTestsOnPostgres() : CreatedDateImportTests(DatabaseProvider.Postgres);
