using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Import;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Privacy;

/// <summary>`tandem people export` and `tandem people erase`: the same export and erasure as the API, from the server's machine.</summary>
public abstract class PeopleCliTests(DatabaseProvider provider)
{
    private Task<(int Exit, string Out, string Err)> TandemAsync(string connectionString, string? stdin, params string[] args) =>
        TandemProcess.RunOnAsync(provider, connectionString, stdin, args);

    [Fact]
    public async Task A_person_is_exported_and_erased_by_email_from_the_command_line_only_once_confirmed()
    {
        var (_, cs) = await TestDatabases.CreateMigratedAsync(provider);
        long id;
        await using (var server = await TandemServer.StartAsync(provider, connectionString: cs))
        {
            using var api = await server.AdminClientAsync();
            id = (await api.CaptureLeadAsync(new { email = "cli.person@acme.example", firstName = "Cleo" })).Id();
        }

        await using var db = new Database(provider, cs);
        var export = await TandemAsync(cs, null, "people", "export", "--email", "CLI.Person@acme.example");
        var declined = await TandemAsync(cs, "no", "people", "erase", "--email", "cli.person@acme.example");
        var notDeclined = await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE erased_at IS NULL");
        var erased = await TandemAsync(cs, "erase", "people", "erase", "--email", "cli.person@acme.example");
        var again = await TandemAsync(cs, null, "people", "erase", "--id", id.ToString(), "--yes");
        var neither = await TandemAsync(cs, null, "people", "erase", "--yes");

        Assert.True(export.Exit == 0, export.Err);
        Assert.Equal("Cleo", JsonDocument.Parse(export.Out).RootElement.GetProperty("profile")[0].GetProperty("firstName").GetString());
        Assert.NotEqual(0, declined.Exit);
        Assert.Equal(1, notDeclined);
        Assert.True(erased.Exit == 0, erased.Err);
        Assert.Contains($"erased person {id}", erased.Out);
        Assert.NotEqual(0, again.Exit);
        Assert.Contains("already erased", again.Err);
        Assert.NotEqual(0, neither.Exit);
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM people WHERE email IS NOT NULL OR first_name IS NOT NULL"));
        var audit = await db.ReadAsync(c => c.QueryAsync<(string Action, string Kind)>(
            "SELECT action, actor_kind FROM audit_log WHERE action IN ('person.erased', 'export.person_data') ORDER BY id"), TestContext.Current.CancellationToken);
        Assert.Equal([("export.person_data", "cli"), ("person.erased", "cli")], audit.ToList());
    }
}

public sealed class PeopleCliTestsOnSqlite() : PeopleCliTests(DatabaseProvider.Sqlite);

public sealed class PeopleCliTestsOnPostgres() : PeopleCliTests(DatabaseProvider.Postgres);
