using Microsoft.Playwright;
using Tandem.Server.Demo;
using Tandem.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>
/// The README's promise: start the demo, sign in as each demo user, and every page has real numbers and fits the screen,
/// on a laptop and on a phone. The screenshots are for looking at.
/// </summary>
public sealed class DemoWorkspaceTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Every_demo_user_signs_in_and_each_page_renders_on_laptop_and_phone()
    {
        var browser = fixture.RequireBrowser();
        // A smaller demo than `./tandem demo` seeds (3,000 people): the same seeding code, every page with real numbers, and
        // a fifth of the start-up time, which was most of this test's.
        await using var server = await TandemServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tandem:Demo"] = "true",
            ["Tandem:DemoPeople"] = "600",
        });

        foreach (var phone in new[] { false, true })
        {
            await using var context = await BrowserFixture.NewContextAsync(browser, new BrowserNewContextOptions
            {
                BaseURL = server.BaseUrl,
                ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1360, Height = 900 },
            });
            var page = await context.NewPageAsync();
            var device = phone ? "phone" : "laptop";
            await page.GotoAsync("/signin");
            await page.ShotAsync($"demo-signin-{device}");
            await page.SubmitSignInAsync("riley@lumen.example", DemoUsers.Password);

            await Expect(page.GetByTestId("kpi-new-leads")).Not.ToHaveTextAsync("0");
            await Expect(page.GetByTestId("kpi-mqls")).Not.ToHaveTextAsync("0");
            // Chart.js drew into each canvas.
            Assert.Equal(3, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('canvas')].filter(c => window.Chart && Chart.getChart(c)).length"));
            await page.ShotAsync($"demo-home-{device}");
            await AssertFitsAsync(page, "home");

            await page.GotoAsync("/inbox");
            Assert.True(await page.GetByTestId("inbox").Locator("li").CountAsync() > 0, "Riley's demo inbox is empty.");
            await page.ShotAsync($"demo-inbox-{device}");
            await AssertFitsAsync(page, "inbox");

            await page.GetByTestId("inbox").Locator("li a").First.ClickAsync();
            await Expect(page.GetByTestId("timeline")).ToBeVisibleAsync();
            await page.ShotAsync($"demo-person-{device}");
            await AssertFitsAsync(page, "person");

            if (phone)
            {
                // The phone menu opens as a whole list instead of a row cut off at the screen's edge.
                var scoring = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Scoring" });
                await Expect(scoring).ToBeHiddenAsync();
                await page.GetByTestId("menu-toggle").ClickAsync();
                await Expect(page.GetByTestId("menu-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
                await Expect(scoring).ToBeInViewportAsync();
                await page.ShotAsync("demo-menu-phone");
                await scoring.ClickAsync();
                await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/scoring$"));
            }

            await page.GotoAsync("/people");
            await page.ShotAsync($"demo-people-{device}");
            await AssertFitsAsync(page, "people");

            // Keyboard users can skip the navigation: the first Tab lands on the skip link.
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));

            await page.GotoAsync("/definitions");
            await Expect(page.GetByTestId("reasons-disqualified")).ToContainTextAsync("bad-fit");
            await page.ShotAsync($"demo-definitions-{device}");
        }

        foreach (var user in DemoUsers.All)
        {
            await using var context = await BrowserFixture.NewContextAsync(browser, new BrowserNewContextOptions { BaseURL = server.BaseUrl });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/signin");
            await page.SubmitSignInAsync(user.Email, DemoUsers.Password);
            await Expect(page.GetByTestId("me-name")).ToHaveTextAsync(user.Name);
            if (user.Role == Tandem.Server.Users.Roles.Marketing)
            {
                await page.GotoAsync("/people");
                await page.ShotAsync("demo-people-marketing");
            }
        }
        // Every page an admin can open fits a phone too, the wide tables scrolling inside their cards.
        await using (var phone = await BrowserFixture.NewContextAsync(browser, new BrowserNewContextOptions
                     { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 390, Height = 844 } }))
        {
            var page = await phone.NewPageAsync();
            await page.GotoAsync("/signin");
            await page.SubmitSignInAsync("admin@lumen.example", DemoUsers.Password);
            foreach (var path in new[] { "/scoring", "/imports", "/settings/routing", "/settings/sla", "/admin/users", "/admin/keys" })
            {
                await page.GotoAsync(path);
                await page.ShotAsync($"demo-admin{path.Replace('/', '-')}-phone");
                await AssertFitsAsync(page, path);
            }
        }
    }

    private static async Task AssertFitsAsync(IPage page, string what)
    {
        // Every visible control has a name a screen reader can announce (a <label>, aria-label or aria-labelledby).
        var unlabelled = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
            .filter(el => el.offsetParent !== null || el.type === 'checkbox' || el.type === 'radio')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 80))");
        Assert.True(unlabelled.Length == 0, $"Unlabelled controls on the {what} page: {string.Join(" | ", unlabelled)}");

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var widest = overflow <= 1 ? "" : await page.EvaluateAsync<string>(@"() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap') && !el.closest('nav'))
            .slice(-3).map(el => el.tagName + '.' + el.className).join(', ')");
        Assert.True(overflow <= 1, $"The {what} page is {overflow}px wider than the screen (sticking out: {widest}).");
    }
}
