using Microsoft.Playwright;
using Tandem.Server.Demo;
using Tandem.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>
/// Marketing in the demo: the campaigns page with its chart, the attribution report with another model chosen, and the
/// people behind one of its figures.
/// </summary>
public sealed class CampaignReportTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Marketing_opens_campaigns_switches_the_attribution_model_and_drills_down_to_the_people()
    {
        var browser = fixture.RequireBrowser();
        await using var server = await TandemServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tandem:Demo"] = "true",
            ["Tandem:DemoPeople"] = "600",
        });
        await using var context = await BrowserFixture.NewContextAsync(browser, new BrowserNewContextOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1360, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.SubmitSignInAsync("maya@lumen.example", DemoUsers.Password);

        await page.GetByRole(AriaRole.Link, new() { Name = "Campaigns", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("campaign-row")).ToHaveCountAsync(DemoData.Campaigns.Length);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas')].filter(c => window.Chart && Chart.getChart(c)).length"));
        await page.ShotAsync("campaigns");

        await page.GetByTestId("attribution-link").ClickAsync();
        await Expect(page.GetByTestId("model-name")).ToHaveTextAsync("W-shaped");
        await Expect(page.GetByTestId("outcome-leads")).Not.ToHaveTextAsync("0");
        await page.GetByTestId("model-select").SelectOptionAsync("first-touch");
        await Expect(page.GetByTestId("model-name")).ToHaveTextAsync("First touch");
        Assert.Contains("model=first-touch", page.Url);
        Assert.Equal(2, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas')].filter(c => window.Chart && Chart.getChart(c)).length"));
        await page.ShotAsync("attribution");

        var leads = await page.GetByTestId("row-all").GetByTestId("drill-leads").TextContentAsync();
        await page.GetByTestId("row-all").GetByTestId("drill-leads").ClickAsync();
        await Expect(page.GetByTestId("credited-total")).ToHaveTextAsync(leads!);
        Assert.True(await page.GetByTestId("credit-row").CountAsync() > 0);
        await page.ShotAsync("attribution-drill-down");

        await page.GotoAsync("/reports/content");
        Assert.True(await page.GetByTestId("asset-row").CountAsync() > 0);
        await page.ShotAsync("content-report");
    }
}
