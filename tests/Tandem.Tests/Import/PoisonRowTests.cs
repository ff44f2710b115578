using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Identity;
using Tandem.Server.Import;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Import;

/// <summary>A row the database (or a person-event hook) refuses must not take its batch down with it.</summary>
public abstract class PoisonRowTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_row_that_fails_to_save_is_reported_and_the_rest_of_its_batch_lands()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Tandem:Import:RunJobs"] = "false" });
        var services = server.Services;
        var lifecycle = services.GetRequiredService<LifecycleSettings>();
        var events = services.GetRequiredService<PersonEvents>();
        var moveStage = new MoveStage(lifecycle, events);
        var writer = new ImportRowWriter(new PersonCapturer(lifecycle, moveStage, events), moveStage, lifecycle, events);
        var consequences = new Consequences(server.Database, events, [new RefusePoison()]);
        var runner = new ImportRunner(server.Database, consequences, writer, lifecycle, services.GetRequiredService<ImportUploads>(), TimeProvider.System,
            NullLogger<ImportRunner>.Instance);
        var path = Path.Combine(TempFolder.Create("poison"), "leads.csv");
        await File.WriteAllTextAsync(path, "email,first name,visits\na@acme.example,A,1\npoison@acme.example,P,2\nb@acme.example,B,3\n", ct);
        var job = await services.GetRequiredService<ImportUploads>().CreateJobAsync("leads.csv", await ImportUploads.DescribeAsync(path, ct),
            "auto", new ImportOverrides(), Actor.System("test"), runner: "test", ct);

        var done = await runner.RunAsync(job, "test", ct: ct);

        Assert.Equal((ImportStatus.Completed, 2L, 1L), (done.Status, done.CreatedCount, done.ErrorCount));
        var error = Assert.Single(await server.Database.ReadAsync(c => ImportJobStore.ErrorsAsync(c, job.Id, 10), ct));
        Assert.Equal(3, error.Row);
        Assert.Contains("poison rows are refused", error.Reason);
        Assert.Equal(["a@acme.example", "b@acme.example"], await server.Database.ReadAsync(async c =>
            (await c.QueryAsync<string>("SELECT email FROM people ORDER BY email")).ToList(), ct));
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT COUNT(*) FROM activities WHERE properties LIKE '%\"count\":2%'"));
    }

    private sealed class RefusePoison : IPersonEventHandler
    {
        public async Task OnProfileChangedAsync(DbConnection c, DbTransaction tx, ProfileChanged e)
        {
            var email = await c.ExecuteScalarAsync<string?>("SELECT email FROM people WHERE id = @PersonId", e, tx);
            if (email == "poison@acme.example") throw new InvalidOperationException("poison rows are refused");
        }
    }
}

public sealed class PoisonRowTestsOnSqlite() : PoisonRowTests(DatabaseProvider.Sqlite);

[Collection(LargeImports.Name)]
public sealed class PoisonRowTestsOnPostgres() : PoisonRowTests(DatabaseProvider.Postgres);
