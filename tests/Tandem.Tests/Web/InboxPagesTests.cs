using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Web;

/// <summary>
/// The inbox as reps and managers page and filter it: every lead reachable a page at a time, due first; filters in the
/// address; each chip's count the number of leads its view lists.
/// </summary>
public abstract partial class InboxPagesTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Now = MondayNine;

    [Fact]
    public async Task A_manager_reaches_all_250_team_leads_page_by_page_due_first_with_none_cut_off()
    {
        var (server, world, leads) = await StartAsync(250);
        await using var _ = server;
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        var listed = new List<long>();
        string? next = "/inbox";
        var pages = 0;
        while (next is not null)
        {
            var page = await sam.GetPageAsync(next);
            pages++;
            listed.AddRange(Listed(page));
            next = NextPage().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
            if (pages == 1) Assert.Contains("250 open", page);
        }

        Assert.Equal(5, pages);
        Assert.Equal(leads.InInboxOrder().Select(l => l.Id), listed);
        var last = await sam.GetPageAsync("/inbox?page=5");
        Assert.Contains("Showing 201–250 of <strong>250</strong>", last);
        Assert.Contains("Page 5 of 5", last);
    }

    [Fact]
    public async Task A_rep_filters_by_stage_overdue_revived_and_source_and_each_chip_counts_what_it_lists()
    {
        var (server, world, leads) = await StartAsync(250);
        await using var _ = server;
        var mine = leads.Where(l => l.OwnerId == world.Users[Emails.Riley]).ToList();
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var overdueMqls = await riley.GetPageAsync("/inbox?stage=MQL&due=overdue");
        var expected = mine.Where(l => l.Stage == "MQL" && l.Overdue).InInboxOrder().Select(l => l.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Listed(overdueMqls));
        Assert.Equal(expected.Count, Count(overdueMqls, "filter-overdue"));
        Assert.Equal(expected.Count, Count(overdueMqls, "filter-stage-MQL"));
        // The other chips say what clicking them would list: the same filters with that one choice changed.
        Assert.Equal(mine.Count(l => l.Stage == "SAL" && l.Overdue), Count(overdueMqls, "filter-stage-SAL"));
        Assert.Equal(mine.Count(l => l.Overdue), Count(overdueMqls, "filter-stage-all"));
        Assert.Equal(mine.Count(l => l.Stage == "MQL" && l.Overdue && l.Revived), Count(overdueMqls, "filter-revived"));
        foreach (var source in InboxWorkload.Sources)
            Assert.Equal(mine.Count(l => l.Stage == "MQL" && l.Overdue && l.Source == source), Count(overdueMqls, $"filter-source-{source}"));
        Assert.Contains("125 open", overdueMqls);

        var revivedOrganic = await riley.GetPageAsync("/inbox?source=organic&revived=true");
        var revived = mine.Where(l => l.Source == "organic" && l.Revived).InInboxOrder().Select(l => l.Id).ToList();
        Assert.NotEmpty(revived);
        Assert.Equal(revived, Listed(revivedOrganic));
        Assert.Equal(revived.Count, Count(revivedOrganic, "filter-revived"));
        Assert.Contains("revived: visited pricing", revivedOrganic);

        // A filtered view longer than a page keeps its filters on the next page.
        var mqls = mine.Where(l => l.Stage == "MQL").InInboxOrder().Select(l => l.Id).ToList();
        Assert.True(mqls.Count > 50);
        var first = await riley.GetPageAsync("/inbox?stage=MQL");
        Assert.Equal("/inbox?stage=MQL&page=2", WebUtility.HtmlDecode(NextPage().Match(first).Groups[1].Value));
        var second = await riley.GetPageAsync("/inbox?stage=MQL&page=2");
        Assert.Equal(mqls, Listed(first).Concat(Listed(second)));
        Assert.Equal(mqls.Count, Count(first, "filter-stage-MQL"));
    }

    [Fact]
    public async Task A_link_with_a_filter_the_inbox_cannot_use_lists_nothing_and_says_why()
    {
        var (server, _, _) = await StartAsync(20);
        await using var __ = server;
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var page = await riley.GetPageAsync("/inbox?stage=SQL&due=soonish");

        Assert.Empty(Listed(page));
        Assert.Contains("stage: The inbox holds open leads only; &#x27;SQL&#x27; is not one of: MQL, SAL.", page);
        Assert.Contains("due: &#x27;soonish&#x27; is not a due filter; use overdue.", page);
    }

    [Fact]
    public async Task Accepting_from_a_filtered_view_comes_back_to_the_same_view()
    {
        var (server, world, leads) = await StartAsync(30);
        await using var _ = server;
        var lead = leads.First(l => l.OwnerId == world.Users[Emails.Riley] && l.Stage == "MQL" && l.Overdue);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var accepted = await riley.SubmitAsync("/inbox?handler=Accept", new() { ["id"] = lead.Id.ToString(), ["view"] = "due=overdue&stage=MQL" },
            formPage: "/inbox?stage=MQL&due=overdue");

        Assert.True(accepted.StatusCode == HttpStatusCode.Redirect, await accepted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("/inbox?stage=MQL&due=overdue", accepted.Headers.Location?.OriginalString);
        var stage = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT stage FROM people WHERE id = @id", new { id = lead.Id }), TestContext.Current.CancellationToken);
        Assert.Equal("SAL", stage);
        Assert.DoesNotContain(lead.Id, Listed(await riley.GetPageAsync("/inbox?stage=MQL&due=overdue")));
    }

    [Fact]
    public async Task The_hand_off_card_is_put_first_on_a_narrow_screen_only_for_the_rep_who_must_decide()
    {
        var (server, world, leads) = await StartAsync(10);
        await using var _ = server;
        var riley = world.Users[Emails.Riley];
        var mql = leads.First(l => l.OwnerId == riley && l.Stage == "MQL");
        var sal = leads.First(l => l.OwnerId == riley && l.Stage == "SAL");
        using var rep = await WebSession.SignInAsync(server, Emails.Riley);
        using var manager = await WebSession.SignInAsync(server, Emails.Manager);

        Assert.Contains("person-grid decide-first", await rep.GetPageAsync($"/people/{mql.Id}"));
        Assert.DoesNotContain("decide-first", await rep.GetPageAsync($"/people/{sal.Id}"));
        Assert.DoesNotContain("decide-first", await manager.GetPageAsync($"/people/{mql.Id}"));
    }

    /// <summary>The test company, with its own leads moved on past the inbox, and <paramref name="count"/> seeded open leads for Riley and Jordan.</summary>
    private async Task<(TandemServer Server, WebWorld World, IReadOnlyList<SeededLead> Leads)> StartAsync(int count)
    {
        var server = await TandemServer.StartAsync(provider, new ManualClock(Now), ManualTicks);
        var world = await WebWorld.CreateAsync(server);
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET stage = 'SQL'", transaction: tx), TestContext.Current.CancellationToken);
        var leads = await InboxWorkload.SeedAsync(server.Database, [world.Users[Emails.Riley], world.Users[Emails.Jordan]], count, Now);
        return (server, world, leads);
    }

    private static List<long> Listed(string page) => LeadRow().Matches(page).Select(m => long.Parse(m.Groups[1].Value)).ToList();

    private static long Count(string page, string chip)
    {
        var m = Regex.Match(page, $"data-testid=\"{Regex.Escape(chip)}-count\">([0-9,]+)<");
        Assert.True(m.Success, $"No {chip} chip on the page");
        return long.Parse(m.Groups[1].Value.Replace(",", ""));
    }

    [GeneratedRegex("data-testid=\"inbox-lead\" data-person=\"(\\d+)\"")]
    private static partial Regex LeadRow();

    [GeneratedRegex("href=\"([^\"]+)\" rel=\"next\"")]
    private static partial Regex NextPage();
}

public sealed class InboxPagesTestsOnSqlite() : InboxPagesTests(DatabaseProvider.Sqlite);

public sealed class InboxPagesTestsOnPostgres() : InboxPagesTests(DatabaseProvider.Postgres);
