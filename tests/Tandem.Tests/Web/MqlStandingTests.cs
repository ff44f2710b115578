using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Server.Web.Scoring;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>An MQL that no longer meets the definition says when it qualified and what moved since, not "Not yet".</summary>
public sealed class MqlStandingWordsTests
{
    private static readonly MqlStanding.Qualification ByScore =
        new(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero), "Rule", "MQL definition (scoring model v1)", true, "B2", 52, "B", 1);

    [Fact]
    public void A_lead_whose_engagement_decayed_says_when_it_qualified_and_to_what_it_decayed()
    {
        var words = MqlStanding.Describe(new("MQL", false, "B3", 31, "B", 1), ByScore);

        Assert.Equal("Qualified on Nov 20 under model v1 (B2, engagement 52); engagement has decayed to 31 since.", words);
    }

    [Fact]
    public void A_lead_scored_under_a_newer_model_says_the_model_changed()
    {
        var words = MqlStanding.Describe(new("MQL", false, "C2", 52, "C", 2), ByScore);

        Assert.Equal("Qualified on Nov 20 under model v1 (B2, engagement 52); model v2, published since, scores them C2, engagement 52, below its MQL definition.", words);
    }

    [Fact]
    public void A_lead_moved_to_MQL_by_hand_says_who_moved_it_and_that_it_never_met_the_definition()
    {
        var byHand = new MqlStanding.Qualification(ByScore.At, "User", "Maya Marketing", false, "C1", 12, "C", 1);

        Assert.Equal("Moved to MQL on Nov 20 by Maya Marketing without meeting the definition (C1, engagement 12); it still does not.",
            MqlStanding.Describe(new("MQL", false, "C1", 12, "C", 1), byHand));
        Assert.Equal("Moved to MQL on Nov 20 by Maya Marketing without meeting the definition (C1, engagement 12 then); now C1, engagement 30.",
            MqlStanding.Describe(new("MQL", false, "C1", 30, "C", 1), byHand));
    }

    [Fact]
    public void A_lead_in_MQL_never_scored_says_so_instead_of_quoting_empty_scores()
    {
        Assert.Equal("In MQL without meeting the definition: not scored by any model yet.",
            MqlStanding.Describe(new("MQL", false, null, null, null, null), null));
        Assert.Equal("In MQL without meeting the definition: not scored under model v3.",
            MqlStanding.Describe(new("MQL", false, null, null, null, 3), null));
    }

    [Fact]
    public void A_lead_that_meets_the_definition_or_is_past_MQL_needs_no_words()
    {
        Assert.Null(MqlStanding.Describe(new("MQL", true, "B2", 52, "B", 1), ByScore));
        Assert.Null(MqlStanding.Describe(new("SAL", false, "B3", 31, "B", 1), ByScore));
    }
}

public abstract class MqlStandingPagesTests(DatabaseProvider provider)
{
    [Fact]
    public async Task An_MQL_whose_engagement_decayed_reads_as_qualified_then_decayed_on_the_person_page_and_the_reps_inbox()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        var lead = (await api.CaptureLeadAsync(new { email = "ana@northwind.com", firstName = "Ana", lastName = "Lind", title = "Head of Data",
            company = "Northwind", companySize = "201-1000", industry = "Software", phone = "+1 555 0100" })).Id();
        await api.PostAsJsonAsync($"/api/v1/people/{lead}/activities", new { type = "form_submitted", properties = new { form = "demo-request" } }, ct);
        await api.PostAsJsonAsync($"/api/v1/people/{lead}/activities", new { type = "page_view", properties = new { url = "https://lumen.example/pricing" } }, ct);
        var qualified = await api.GetJsonAsync($"/api/v1/people/{lead}");
        Assert.Equal("MQL", qualified.GetProperty("stage").GetString());
        // The move into MQL keeps the scores it was made with: the form alone qualified her, before the pricing visit.
        var move = (await api.GetJsonAsync($"/api/v1/people/{lead}/stages")).EnumerateArray().Last(m => m.GetProperty("to").GetString() == "MQL");
        var (cell, engagement) = (move.GetProperty("scores").GetProperty("cell").GetString(), move.GetProperty("scores").GetProperty("engagement").GetInt32());
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET owner_id = @riley WHERE id = @lead",
            new { riley = world.Users[Emails.Riley], lead }, tx), ct);

        clock.Advance(TimeSpan.FromDays(60));
        await server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DecayRefresher>().Single().RefreshAsync(ct);
        var now = (await api.GetJsonAsync($"/api/v1/people/{lead}")).GetProperty("score").GetProperty("engagement").GetInt32();
        Assert.True(now < engagement);

        var expected = $"Qualified on Nov 2 under model v1 ({cell}, engagement {engagement}); engagement has decayed to {now} since.";
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        var person = WebUtility.HtmlDecode(await riley.GetPageAsync($"/people/{lead}"));
        Assert.Contains(expected, person);
        Assert.DoesNotContain("Not yet", person);
        Assert.Contains(expected, WebUtility.HtmlDecode(await riley.GetPageAsync("/inbox")));
    }
}

public sealed class MqlStandingPagesTestsOnSqlite() : MqlStandingPagesTests(DatabaseProvider.Sqlite);

public sealed class MqlStandingPagesTestsOnPostgres() : MqlStandingPagesTests(DatabaseProvider.Postgres);
