using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Import;

/// <summary>
/// The X Education export imported as a user would (the upload, auto preset) and scored by the rules model that ships
/// for it, on SQLite. Importing and scoring 9,240 leads is most of a test's time, so it is done once per test process
/// through the real API and each test gets its own copy; the import itself is tested by <see cref="XEducationImportTests"/>.
/// </summary>
public static class XEducationWorkspace
{
    private static readonly Lazy<Task<string>> Template = new(BuildAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A server on a copy of the imported, scored workspace, its clock standing at <see cref="ManualClock"/>'s default start.</summary>
    public static async Task<TandemServer> StartAsync(ManualClock clock) =>
        await TandemServer.StartAsync(DatabaseProvider.Sqlite, clock,
            connectionString: await TestDatabases.CopyTemplateAsync(DatabaseProvider.Sqlite, await Template.Value));

    private static async Task<string> BuildAsync()
    {
        string connectionString;
        await using (var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite, new ManualClock()))
        {
            using var api = await server.AdminClientAsync();
            var job = await api.ImportAsync(ImportApi.Sample("x-education-leads.csv"));
            if (job.GetProperty("status").GetString() != "completed") throw new InvalidOperationException($"The X Education import ended {job}");
            var published = await api.PostAsJsonAsync("/api/v1/scoring/models", ScoringModels.BuiltIn("x-education"), Json.Options);
            if (published.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"Publishing the X Education model answered {published.StatusCode}");
            var body = await published.Content.ReadFromJsonAsync<JsonElement>();
            await server.Services.GetRequiredService<RescoreJobs>().WaitAsync(body.GetProperty("rescoreJobId").GetInt64());
            connectionString = server.ConnectionString;
        }
        return await TestDatabases.FreezeAsTemplateAsync(DatabaseProvider.Sqlite, connectionString);
    }
}
