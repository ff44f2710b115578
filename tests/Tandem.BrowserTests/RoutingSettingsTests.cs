using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>The routing settings: an admin adds a rule with a condition; a rep reads the same page without edit controls.</summary>
public sealed class RoutingSettingsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_admin_adds_a_rule_with_a_condition_and_it_goes_before_the_catch_all()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebApp.StartAsync(fixture);
        var inbound = await app.Server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM teams WHERE name = 'Inbound'"), ct);
        using (var api = await app.Server.AdminClientAsync())
            (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api, "/api/v1/routing/rules", new { name = "Everyone else", teamId = inbound }, ct))
                .EnsureSuccessStatusCode();
        var page = await app.SignInAsync(Emails.Admin);

        await page.GetByRole(AriaRole.Link, new() { Name = "Routing", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add rule" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("DACH enterprise");
        await page.GetByLabel("Team").SelectOptionAsync(new SelectOptionValue { Label = "EMEA" });
        await page.GetByLabel("Distribution method").SelectOptionAsync(new SelectOptionValue { Label = "Least loaded" });
        // Forgetting the operator first: the form comes back with the error on that row and the typed values kept.
        await page.GetByLabel("Field of condition 1").FillAsync("country");
        await page.GetByLabel("Values of condition 1").FillAsync("DE, AT, CH");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        await Expect(page.GetByTestId("condition-row-0").Locator(".field-error")).ToContainTextAsync("Use one of");
        await Expect(page.GetByLabel("Values of condition 1")).ToHaveValueAsync("DE, AT, CH");
        await page.ShotAsync("routing-rule-refused");
        await AssertFitsAndLabelledAsync(page, "rule");

        await page.GetByLabel("Operator of condition 1").SelectOptionAsync(new SelectOptionValue { Label = "in" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Added the rule 'DACH enterprise'");
        var rows = page.GetByTestId("rules-table").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        // "Everyone else" matches every lead, so the new rule is placed before it, where it can match.
        await Expect(rows.Nth(0)).ToContainTextAsync("DACH enterprise");
        await Expect(rows.Nth(0)).ToContainTextAsync("country in DE, AT, CH");
        await Expect(rows.Nth(0)).ToContainTextAsync("Least loaded");
        await Expect(rows.Nth(1)).ToContainTextAsync("Everyone else");
        await page.ShotAsync("routing-overview-admin");

        await page.GetByRole(AriaRole.Button, new() { Name = "Move DACH enterprise down" }).ClickAsync();
        await Expect(rows.Nth(1)).ToContainTextAsync("DACH enterprise");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit Riley Rep" }).ClickAsync();
        await page.GetByLabel("Capacity (open leads)").FillAsync("25");
        await page.GetByLabel("Monday").FillAsync("09:00-17:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved Riley Rep's routing settings");
        await Expect(page.GetByLabel("Capacity (open leads)")).ToHaveValueAsync("25");
        await page.ShotAsync("routing-rep-admin");
        await page.GotoAsync("/settings/routing/teams/new");
        await page.ShotAsync("routing-team-new");
        await AssertFitsAndLabelledAsync(page, "team");
    }

    [Fact]
    public async Task A_rep_reads_the_routing_page_without_edit_controls_and_records_their_own_time_off()
    {
        await using var app = await WebApp.StartAsync(fixture);
        // On a phone the signed-in name is hidden behind the avatar, so sign in without waiting for it.
        var page = await app.OpenAsync(phone: true);
        await page.SubmitSignInAsync(Emails.Riley, Password);

        await page.GotoAsync("/settings/routing");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Routing", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Add rule" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = false })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = false })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Time off for Jordan Rep" })).ToHaveCountAsync(0);
        await page.ShotAsync("routing-overview-rep-phone");
        await AssertFitsAndLabelledAsync(page, "routing overview");

        await page.GetByRole(AriaRole.Link, new() { Name = "Time off for Riley Rep" }).ClickAsync();
        await Expect(page.GetByTestId("rep-form")).ToHaveCountAsync(0);
        var start = DateTime.UtcNow.AddHours(-1);
        await page.GetByLabel("Starts").FillAsync(start.ToString("yyyy-MM-dd'T'HH:mm"));
        await page.GetByLabel("Ends").FillAsync(start.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm"));
        await page.GetByLabel("Note").FillAsync("Holiday");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add time off" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Recorded time off for Riley Rep");
        await Expect(page.GetByTestId("rep-now")).ToContainTextAsync("out of office until");
        await Expect(page.GetByTestId("time-off-list")).ToContainTextAsync("Holiday");
        await page.ShotAsync("routing-rep-time-off-phone");
        await AssertFitsAndLabelledAsync(page, "rep");
    }

    private static async Task AssertFitsAndLabelledAsync(IPage page, string what)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 80))");
        Assert.True(unlabelled.Length == 0, $"Unlabelled controls on the {what} page: {string.Join(" | ", unlabelled)}");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var wide = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !(el.parentElement.getBoundingClientRect().right > window.innerWidth + 1)).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))");
        Assert.True(overflow <= 1, $"The {what} page is {overflow}px wider than the screen. {string.Join(" | ", wide)}");
    }
}
