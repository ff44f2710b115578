using System.Net;
using System.Text.RegularExpressions;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Reports;

/// <summary>The Reports pages: each role sees its own numbers (a rep theirs, a manager their teams'), counts link to their people, tables download as CSV.</summary>
public abstract partial class ReportPagesTests(DatabaseProvider provider)
{
    private static long StepCount(string html, string stage)
    {
        var m = StepRow().Matches(html).Single(x => x.Groups["stage"].Value == stage);
        return long.Parse(m.Groups["count"].Value);
    }

    private static string StepLink(string html, string stage) =>
        WebUtility.HtmlDecode(StepRow().Matches(html).Single(x => x.Groups["stage"].Value == stage).Groups["href"].Value);

    [Fact]
    public async Task A_rep_sees_their_own_funnel_a_manager_their_teams_and_an_admin_everyones()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var mine = await riley.GetPageAsync("/reports/funnel");
        Assert.Equal((2, 2, 0), (StepCount(mine, "Lead"), StepCount(mine, "MQL"), StepCount(mine, "SAL")));
        var teams = await sam.GetPageAsync("/reports/funnel");
        Assert.Equal((3, 3, 1), (StepCount(teams, "Lead"), StepCount(teams, "MQL"), StepCount(teams, "SAL")));
        var all = await admin.GetPageAsync("/reports/funnel");
        Assert.Equal((5, 4, 1), (StepCount(all, "Lead"), StepCount(all, "MQL"), StepCount(all, "SAL")));
        Assert.Contains("By period", all);

        var byRep = await sam.GetPageAsync("/reports/funnel?by=rep");
        Assert.Contains("Riley Rep", byRep);
        Assert.Contains("Jordan Rep", byRep);
        Assert.DoesNotContain("Ana Rep", byRep);
    }

    [Fact]
    public async Task A_count_opens_the_people_list_of_exactly_its_people_and_each_table_downloads_as_csv()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        var funnel = await sam.GetPageAsync("/reports/funnel?mode=cohort");
        Assert.Contains("By cohort", funnel);
        var people = await sam.GetPageAsync(StepLink(funnel, "MQL"));
        Assert.Contains("Rita", people);
        Assert.Contains("Raj", people);
        Assert.Contains("Joanna", people); // SAL passed MQL
        Assert.DoesNotContain("Anton", people);
        Assert.DoesNotContain("Nia", people);

        var csv = await sam.GetAsync("/reports/funnel?mode=cohort&handler=csv&table=steps");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("stage,count,from_previous,from_first", lines[0]);
        Assert.Contains("MQL,3,1,1", lines);
        Assert.Contains("SAL,1,0.3333,0.3333", lines);

        foreach (var page in new[] { "/reports", "/reports/velocity?by=grade", "/reports/traffic", "/reports/velocity?handler=csv&table=slowest" })
            Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync(page)).StatusCode);
        var slowest = await sam.GetPageAsync("/reports/velocity");
        Assert.Contains("Joanna", slowest);
        Assert.DoesNotContain("Anton", slowest);
    }

    [GeneratedRegex("<tr data-stage=\"(?<stage>[A-Za-z]+)\"><th scope=\"row\">[^<]*</th><td class=\"num\"><a href=\"(?<href>[^\"]+)\">(?<count>[0-9,]+)</a>")]
    private static partial Regex StepRow();
}

public sealed class ReportPagesTestsOnSqlite() : ReportPagesTests(DatabaseProvider.Sqlite);

public sealed class ReportPagesTestsOnPostgres() : ReportPagesTests(DatabaseProvider.Postgres);
