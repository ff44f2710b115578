using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tandem.Server.Scoring;
using Tandem.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>What a rep reads about an MQL that decayed, and how marketing's month in progress is judged.</summary>
public sealed class MqlStandingAndPaceTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_rep_reads_when_a_decayed_MQL_qualified_and_how_far_it_fell_on_the_person_page_and_on_a_phone_in_the_inbox()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var app = await WebApp.StartAsync(fixture, clock);
        using var api = await app.Server.AdminClientAsync();
        var lead = (await api.CaptureLeadAsync(new { email = "ana@northwind.com", firstName = "Ana", lastName = "Lind", title = "Head of Data",
            company = "Northwind", companySize = "201-1000", industry = "Software", phone = "+1 555 0100" })).Id();
        await api.PostAsJsonAsync($"/api/v1/people/{lead}/activities", new { type = "form_submitted", properties = new { form = "demo-request" } }, ct);
        await app.Server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET owner_id = @riley WHERE id = @lead",
            new { riley = app.World.Users[Emails.Riley], lead }, tx), ct);
        clock.Advance(TimeSpan.FromDays(60));
        await app.Server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DecayRefresher>().Single().RefreshAsync(ct);

        var page = await app.SignInAsync(Emails.Riley);
        await page.GotoAsync($"/people/{lead}");
        await Expect(page.GetByTestId("mql-standing")).ToContainTextAsync("Qualified on Nov 2 under model v1");
        await Expect(page.GetByTestId("mql-standing")).ToContainTextAsync("engagement has decayed to");
        await Expect(page.GetByText("Not yet")).ToHaveCountAsync(0);
        await page.ShotAsync("person-mql-standing");

        var phone = await app.OpenAsync(phone: true);
        await phone.SubmitSignInAsync(Emails.Riley, Password);
        await phone.GotoAsync("/inbox");
        var ana = phone.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Ana Lind" });
        await Expect(ana.GetByTestId("mql-standing")).ToContainTextAsync("Qualified on Nov 2 under model v1");
        // A lead moved to MQL by hand, never meeting the definition, says so too.
        await Expect(phone.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Rita Northwind" }).GetByTestId("mql-standing"))
            .ToContainTextAsync("without meeting the definition");
        await phone.ShotAsync("inbox-mql-standing-phone");
    }

    [Fact]
    public async Task Marketing_sees_a_big_commitment_early_in_the_month_judged_on_the_days_gone()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        await using var app = await WebApp.StartAsync(fixture, clock);
        using var api = await app.Server.AdminClientAsync();
        for (var i = 0; i < 3; i++) (await api.MoveStageAsync((await api.CaptureLeadAsync(new { email = $"m{i}@acme.io" })).Id(), "MQL")).EnsureSuccessStatusCode();
        var mqls = (await api.GetJsonAsync("/api/v1/sla/scorecards/marketing")).GetProperty("overall").GetProperty("mqls").GetInt32();
        (await api.PostAsJsonAsync("/api/v1/sla/commitments", new { name = "Inbound", minimumMqlsPerMonth = 50, minimumAcceptancePercent = 50 }, ct)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/sla/commitments", new { name = "Stretch", minimumMqlsPerMonth = 500, minimumAcceptancePercent = 50 }, ct)).EnsureSuccessStatusCode();

        var page = await app.SignInAsync(Emails.Marketing);
        await page.GotoAsync("/settings/sla");
        var rows = page.GetByTestId("commitment-scores").Locator("tbody tr");
        await Expect(rows.Nth(0).GetByTestId("commitment-volume")).ToContainTextAsync($"{mqls} / 50");
        await Expect(rows.Nth(0).GetByTestId("commitment-volume")).ToContainTextAsync("on pace");
        await Expect(rows.Nth(0).GetByTestId("expected-to-date")).ToHaveTextAsync("expected 2 by Dec 2");
        await Expect(rows.Nth(1).GetByTestId("commitment-volume")).ToContainTextAsync("behind");
        await Expect(rows.Nth(1).GetByTestId("expected-to-date")).ToHaveTextAsync($"expected 24 by Dec 2, {24 - mqls} behind");
        await page.GetByTestId("commitment-scores").ScrollIntoViewIfNeededAsync();
        await page.ShotAsync("marketing-scorecard-pace");
    }
}
