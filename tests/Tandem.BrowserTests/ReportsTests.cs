using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>The Reports section as a manager clicks through it: each report draws its charts, and a count opens its people.</summary>
public sealed class ReportsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_manager_opens_each_report_and_a_funnel_count_opens_the_people_behind_it()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Manager);

        await page.GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("overview-leads")).ToHaveTextAsync("3");
        await page.ShotAsync("reports-overview");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Reports" }).GetByRole(AriaRole.Link, new() { Name = "Funnel" }).ClickAsync();
        await page.GetByLabel("Break down by").SelectOptionAsync("rep");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.GetByTestId("funnel-shows")).ToContainTextAsync("By period");
        await Expect(page.GetByTestId("funnel-groups")).ToContainTextAsync("Riley Rep");
        await Expect(page.GetByTestId("funnel-groups")).Not.ToContainTextAsync("Ana Rep");
        Assert.Equal(2, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas')].filter(c => window.Chart && Chart.getChart(c)).length"));
        await page.ShotAsync("reports-funnel");

        // The MQL count: Riley's two MQLs and Jordan's SAL (who passed MQL on the way).
        await page.GetByTestId("funnel-steps").Locator("tr[data-stage='MQL'] a").ClickAsync();
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("3 people");
        await Expect(page.GetByTestId("people-table")).ToContainTextAsync("Joanna Fabrikam");
        await Expect(page.GetByTestId("people-table")).Not.ToContainTextAsync("Anton Initech");

        await page.GotoAsync("/reports/velocity");
        await Expect(page.GetByTestId("velocity-slowest")).ToContainTextAsync("Joanna");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas')].filter(c => window.Chart && Chart.getChart(c)).length"));
        await page.ShotAsync("reports-velocity");

        await page.GotoAsync("/reports/traffic");
        await Expect(page.GetByTestId("traffic-sessions")).ToHaveTextAsync("0");
        await page.ShotAsync("reports-traffic");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "CSV" }).First.ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
    }
}
