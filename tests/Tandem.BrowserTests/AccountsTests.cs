using Microsoft.Playwright;
using Tandem.Tests.Accounts;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>A sales manager looks for accounts where a buying group is forming, on a desktop and on a phone.</summary>
public sealed class AccountsTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_manager_searches_accounts_opens_one_and_sees_its_people_and_the_buying_group(bool phone)
    {
        var device = phone ? "phone" : "desktop";
        await using var app = await WebApp.StartAsync(fixture);
        var world = await AccountsWorld.CreateAsync(app.Server, app.World);
        // On a phone the signed-in name is tucked away, so the tab is opened and signed in by hand.
        var page = await app.OpenAsync(phone);
        await page.SubmitSignInAsync(Emails.Manager, Password);

        if (phone) await page.GetByTestId("menu-toggle").ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Exact = true })).ToBeVisibleAsync();
        // Most engaged first, over the leads Sam may see: Acme (61) before Umbrella (60 without Ana's lead, another team's).
        await Expect(page.GetByTestId("account-row").First).ToContainTextAsync("Acme");
        await Expect(page.GetByTestId("account-row").Nth(1)).ToContainTextAsync("Umbrella");
        await page.ShotAsync($"accounts-list-{device}");

        // The search updates the list in place; the address follows, so the search is a link.
        await page.GetByLabel("Search").FillAsync("acme");
        await page.GetByLabel("Search").PressAsync("Enter");
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("1 account");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=acme"));
        var acme = page.GetByTestId("account-row");
        await Expect(acme.GetByTestId("buying-group")).ToBeInViewportAsync();
        await Expect(acme).ToContainTextAsync("buying group: 2 engaged people, none qualified");
        await page.ShotAsync($"accounts-search-{device}");

        await acme.GetByRole(AriaRole.Link, new() { Name = "Acme" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("buying-group")).ToHaveTextAsync("buying group: 2 engaged people, none qualified");
        await Expect(page.GetByTestId("account-engagement-total")).ToHaveTextAsync("61");
        var people = page.GetByTestId("account-people");
        await Expect(people.Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(people.Locator("tbody tr").First).ToContainTextAsync("Ada Acme");
        await Expect(people).ToContainTextAsync("Jordan Rep");
        await page.ShotAsync($"account-page-{device}");
        var widest = await page.EvaluateAsync<string>(@"() => document.documentElement.scrollWidth - window.innerWidth <= 1 ? '' :
            [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap'))
            .slice(-3).map(el => el.tagName + '.' + el.className).join(', ')");
        Assert.True(widest == "", $"The account page is wider than the screen: {widest}");

        await people.GetByRole(AriaRole.Link, new() { Name = "Cy Acme" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/people/{world.AcmeJordan}$"));
        await Expect(page.GetByTestId("account-link")).ToHaveTextAsync("Acme");
    }
}
