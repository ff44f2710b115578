using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Import;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.People;

/// <summary>
/// One filter, four ways to ask: the API list, the API export, the web list and the web export find the same
/// people, and refuse a bad filter in the same words.
/// </summary>
public abstract partial class SamePeopleOnEveryPathTests(DatabaseProvider provider)
{
    private sealed record Paths(HttpClient Api, WebSession Web);

    private static async Task<Dictionary<string, long[]>> AskEveryPathAsync(Paths paths, string filter)
    {
        var apiList = (await paths.Api.GetJsonAsync($"/api/v1/people?limit=500&{filter}")).GetProperty("items").EnumerateArray().Select(p => p.Id());
        var apiExport = await paths.Api.ExportAsync("?" + filter);
        var webList = await paths.Web.GetPageAsync($"/people?{filter}");
        var webExport = ImportApi.ParseCsv(await paths.Web.GetPageAsync($"/people/export?{filter}"));
        return new Dictionary<string, long[]>
        {
            ["API list"] = apiList.Order().ToArray(),
            ["API export"] = apiExport.Select(r => long.Parse(r["id"])).Order().ToArray(),
            ["web list"] = ListedIds().Matches(webList).Select(m => long.Parse(m.Groups[1].Value)).Order().ToArray(),
            ["web export"] = webExport.Select(r => long.Parse(r["id"])).Order().ToArray(),
        };
    }

    private static async Task AssertEveryPathFindsAsync(Paths paths, string filter, params long[] expected)
    {
        Assert.NotEmpty(expected);
        foreach (var (path, found) in await AskEveryPathAsync(paths, filter))
            Assert.True(expected.Order().SequenceEqual(found), $"{filter} on the {path}: expected [{string.Join(", ", expected.Order())}], found [{string.Join(", ", found)}]");
    }

    [Fact]
    public async Task The_same_filter_finds_the_same_people_on_the_api_list_the_exports_and_the_web_list()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var ada = (await api.CaptureLeadAsync(new { email = "ada@analytical.io", firstName = "Ada", lastName = "Lovelace", company = "Analytical Engines", country = "GB" })).Id();
        var charles = (await api.CaptureLeadAsync(new { email = "charles@analytical.io", firstName = "Charles", lastName = "Babbage", company = "Analytical Engines", country = "gb" })).Id();
        var grace = (await api.CaptureLeadAsync(new { email = "grace@navy.example", firstName = "Grace", lastName = "Hopper", country = "US" })).Id();
        (await api.MoveStageAsync(ada, "MQL")).EnsureSuccessStatusCode();
        var adasGrade = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT fit_grade FROM people WHERE id = @ada", new { ada }), TestContext.Current.CancellationToken);
        var sameGrade = await server.Database.ReadAsync(async c => (await c.QueryAsync<long>("SELECT id FROM people WHERE fit_grade = @adasGrade", new { adasGrade })).ToArray(), TestContext.Current.CancellationToken);
        var riley = world.Users[Emails.Riley];
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing); // marketing sees every lead, as an API key does
        var paths = new Paths(api, maya);

        await AssertEveryPathFindsAsync(paths, "q=Ada%20Lovelace", ada);
        await AssertEveryPathFindsAsync(paths, "q=lovelace", ada);
        await AssertEveryPathFindsAsync(paths, "q=analytical", ada, charles);
        await AssertEveryPathFindsAsync(paths, "q=Rita%20Northwind", world.RileyLead);
        await AssertEveryPathFindsAsync(paths, "stage=MQL", ada, world.RileyLead, world.RileySecondLead, world.AnaLead);
        await AssertEveryPathFindsAsync(paths, "stage=MQL,SAL&country=GB", ada);
        await AssertEveryPathFindsAsync(paths, "country=gb", ada, charles);
        await AssertEveryPathFindsAsync(paths, "email=Grace@Navy.example", grace);
        await AssertEveryPathFindsAsync(paths, $"owner={riley}", world.RileyLead, world.RileySecondLead);
        await AssertEveryPathFindsAsync(paths, $"ownerId={riley}&stage=MQL", world.RileyLead, world.RileySecondLead);
        await AssertEveryPathFindsAsync(paths, "owner=none&q=analytical", ada, charles);
        // WebWorld's leads came from a Google ad; these three were entered by hand.
        await AssertEveryPathFindsAsync(paths, "source=Paid%20Search&stage=Lead", world.UnownedLead);
        await AssertEveryPathFindsAsync(paths, "channel=Paid%20Search&stage=SAL", world.JordanLead);
        await AssertEveryPathFindsAsync(paths, $"grade={adasGrade}", sameGrade);
    }

    [Fact]
    public async Task A_bad_filter_is_refused_in_the_same_words_by_the_api_list_the_export_and_the_web_list()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        const string filter = "stage=Warm&minEngagement=101";

        var list = await api.GetAsync($"/api/v1/people?{filter}", TestContext.Current.CancellationToken);
        var export = await api.GetAsync($"/api/v1/people/export?{filter}", TestContext.Current.CancellationToken);
        var page = await maya.GetPageAsync($"/people?{filter}");
        var webExport = ImportApi.ParseCsv(await maya.GetPageAsync($"/people/export?{filter}"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (list.StatusCode, export.StatusCode));
        var listErrors = (await list.ProblemAsync()).GetProperty("errors");
        var exportErrors = (await export.ProblemAsync()).GetProperty("errors");
        foreach (var field in new[] { "stage", "minEngagement" })
        {
            var reason = listErrors.GetProperty(field)[0].GetString()!;
            Assert.Equal(reason, exportErrors.GetProperty(field)[0].GetString());
            Assert.Contains($"{field}: {HtmlEncoder.Default.Encode(reason)}", page);
        }
        Assert.StartsWith("'Warm' is not a stage", listErrors.GetProperty("stage")[0].GetString());
        // A filter that cannot be used matches nobody on the page and in its export, rather than everyone.
        Assert.Contains("<strong>0</strong> people", page);
        Assert.Empty(webExport);
    }

    [GeneratedRegex("<a href=\"/people/(\\d+)\" class=\"strong\">")]
    private static partial Regex ListedIds();
}

public sealed class SamePeopleOnEveryPathTestsOnSqlite() : SamePeopleOnEveryPathTests(DatabaseProvider.Sqlite);

public sealed class SamePeopleOnEveryPathTestsOnPostgres() : SamePeopleOnEveryPathTests(DatabaseProvider.Postgres);
