using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>Signing in as each role, and what each role can and cannot see or do.</summary>
public sealed class RoleJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_rep_sees_their_own_leads_and_gets_not_found_for_another_reps_lead()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Riley);

        await page.GetByRole(AriaRole.Link, new() { Name = "People", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("2 people");
        await Expect(page.GetByTestId("people-table")).ToContainTextAsync("Rita Northwind");
        await Expect(page.GetByTestId("people-table")).Not.ToContainTextAsync("Anton Initech");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Assign" })).ToHaveCountAsync(0);

        var response = await page.GotoAsync($"/people/{app.World.AnaLead}");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await page.ShotAsync("rep-other-lead-not-found");

        var admin = await page.GotoAsync("/admin/users");
        Assert.Equal(403, admin!.Status);
        await Expect(page.GetByText("You don't have access to this page")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_rep_works_the_inbox_oldest_assignment_first()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Riley);

        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox", Exact = true }).ClickAsync();

        var items = page.GetByTestId("inbox").Locator("li");
        await Expect(items).ToHaveCountAsync(2);
        // Raj was assigned earlier than Rita, so he waits at the top.
        await Expect(items.Nth(0)).ToContainTextAsync("Raj Contoso");
        await Expect(items.Nth(1)).ToContainTextAsync("Rita Northwind");
        await page.ShotAsync("rep-inbox");
    }

    [Fact]
    public async Task A_manager_sees_their_teams_leads_but_not_another_teams()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Manager);

        await page.GotoAsync("/people");
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("3 people");
        await Expect(page.GetByTestId("people-table")).ToContainTextAsync("Joanna Fabrikam");
        await Expect(page.GetByTestId("people-table")).Not.ToContainTextAsync("Anton Initech");
        await page.GotoAsync("/inbox");
        await Expect(page.GetByTestId("inbox").Locator("li")).ToHaveCountAsync(3);
        Assert.Equal(404, (await page.GotoAsync($"/people/{app.World.AnaLead}"))!.Status);

        // A manager decides on their team's leads, but routing rules are the admin's.
        await page.GotoAsync($"/people/{app.World.RileyLead}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Accept lead" })).ToBeVisibleAsync();
        await page.GotoAsync("/settings/routing");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Add rule" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Marketing_sees_everyone_but_not_the_admin_pages()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Marketing);

        await page.GotoAsync("/people");
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("5 people");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Inbox" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "API keys" })).ToHaveCountAsync(0);
        Assert.Equal(403, (await page.GotoAsync("/admin/keys"))!.Status);

        // Accepting and rejecting are sales' decisions: marketing sees the lead, not the hand-off buttons.
        await page.GotoAsync($"/people/{app.World.RileyLead}");
        await Expect(page.GetByTestId("person-stage")).ToHaveTextAsync("MQL");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Accept lead" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reject lead" })).ToHaveCountAsync(0);
        // Routing is read-only to marketing.
        await page.GotoAsync("/settings/routing");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Routing", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Add rule" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_admin_adds_a_user_who_can_then_sign_in_with_their_role()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Admin);

        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync("new.rep@t.example");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nova Rep");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("sales_rep");
        await page.GetByLabel("Initial password").FillAsync("a-long-first-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Added Nova Rep");
        await Expect(page.GetByTestId("users-table")).ToContainTextAsync("new.rep@t.example");
        await page.ShotAsync("admin-users");

        var nova = await app.OpenAsync();
        await nova.SubmitSignInAsync("new.rep@t.example", "a-long-first-password");
        await Expect(nova.GetByTestId("me-name")).ToHaveTextAsync("Nova Rep");
        await nova.GotoAsync("/people");
        await Expect(nova.GetByTestId("result-count")).ToContainTextAsync("0 people");
    }

    [Fact]
    public async Task Changing_a_role_asks_first_and_a_no_leaves_it_as_it_was()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Admin);
        await page.GotoAsync("/admin/users");
        var role = page.GetByLabel("Role of Jordan Rep");

        var answer = false;
        string? asked = null;
        page.Dialog += async (_, dialog) => { asked = dialog.Message; if (answer) await dialog.AcceptAsync(); else await dialog.DismissAsync(); };
        await role.SelectOptionAsync("marketing");
        await Expect(role).ToHaveValueAsync("sales_rep");
        Assert.Contains("Change Jordan Rep's role?", asked);

        answer = true;
        await role.SelectOptionAsync("sales_manager");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Jordan Rep is now Sales manager");
        await Expect(page.GetByLabel("Role of Jordan Rep")).ToHaveValueAsync("sales_manager");
    }

    [Fact]
    public async Task An_admin_creates_an_api_key_that_is_shown_once_and_works()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Admin);

        await page.GotoAsync("/admin/keys");
        await page.GetByLabel("Name").FillAsync("Website forms");
        await page.GetByLabel("read", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = await page.GetByTestId("new-key").TextContentAsync();
        await page.ShotAsync("admin-keys");

        using var api = app.Server.Client(key);
        Assert.True((await api.GetAsync("/api/v1/people", ct)).IsSuccessStatusCode);
        await page.GotoAsync("/admin/keys");
        await Expect(page.GetByTestId("new-key")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("keys-table")).ToContainTextAsync("Website forms");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Jordan);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        await page.GotoAsync("/people");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?ReturnUrl=%2Fpeople$"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.OpenAsync();

        for (var i = 0; i < 5; i++) await page.SubmitSignInAsync(Emails.Jordan, "not-the-password");
        await Expect(page.GetByTestId("signin-error")).ToContainTextAsync("locked");
        await page.SubmitSignInAsync(Emails.Jordan, Password);

        await Expect(page.GetByTestId("signin-error")).ToContainTextAsync("locked");
        await Expect(page.GetByTestId("me-name")).ToHaveCountAsync(0);
        await page.ShotAsync("signin-locked");
    }
}
