using Microsoft.Playwright;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Sla;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.BrowserTests;

/// <summary>The service-level settings: an admin changes a promise, a manager reads how the week went.</summary>
public sealed class SlaSettingsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_admin_changes_a_policys_first_touch_target_and_sees_it_described_on_the_overview()
    {
        var clock = new ManualClock(MondayNine);
        await using var app = await WebApp.StartAsync(fixture, clock, ManualTicks, s => { WithoutRoutingOnMql(s); WithoutReassignment(s); });
        using var api = await app.Server.AdminClientAsync();
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync("Europe/Berlin", "2026-12-25"));
        var page = await app.SignInAsync(Emails.Admin);

        await page.GetByRole(AriaRole.Link, new() { Name = "Service levels" }).ClickAsync();
        await Expect(page.GetByTestId("policies")).ToContainTextAsync("first touch within 1 business hour;");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit MQL any" }).ClickAsync();
        await page.GetByLabel("First touch within: amount").FillAsync("");
        await page.GetByLabel("Accept or reject within: amount").FillAsync("");
        await page.GetByLabel("Minimum attempts").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();

        // No promise at all is refused, with the reason beside the first promise and the form as it was typed.
        await Expect(page.Locator("#first-touch-error")).ToContainTextAsync("Give at least one promise");
        await Expect(page.GetByLabel("Remind the owner at (% of the time)")).ToHaveValueAsync("50, 90");
        await page.ShotAsync("sla-policy-refused");

        await page.GetByLabel("First touch within: amount").FillAsync("3");
        await page.GetByLabel("First touch within: unit").SelectOptionAsync("hours");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the policy 'MQL any'");
        await Expect(page.GetByTestId("policies")).ToContainTextAsync("first touch within 3 business hours");
        await Expect(page.GetByTestId("policies")).Not.ToContainTextAsync("decision within");
        await Expect(page.GetByTestId("calendars")).ToContainTextAsync("Mon–Fri 09:00–17:00");
        await page.ShotAsync("sla-overview-admin");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit Office Europe/Berlin" }).ClickAsync();
        await Expect(page.GetByLabel("Monday")).ToHaveValueAsync("09:00-17:00");
        await Expect(page.GetByLabel("Holidays")).ToHaveValueAsync("2026-12-25 Holiday");
        await page.ShotAsync("sla-calendar-form");
    }

    [Fact]
    public async Task A_manager_reads_the_scorecard_and_the_breaches_without_any_way_to_change_the_agreement()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(MondayNine);
        await using var app = await WebApp.StartAsync(fixture, clock, ManualTicks, s => { WithoutRoutingOnMql(s); WithoutReassignment(s); });
        using var api = await app.Server.AdminClientAsync();
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync(), reassign: false);
        var touched = await api.AssignedMqlAsync("kept@acme.io", app.World.Users[Emails.Jordan], null);
        await api.AssignedMqlAsync("broken@acme.io", app.World.Users[Emails.Riley], null);
        clock.Advance(TimeSpan.FromMinutes(20));
        await api.LogAsync(touched, "call");
        clock.Advance(TimeSpan.FromHours(2));
        await app.Server.TickAsync();
        (await api.PostAsync("/api/v1/sla/commitments", System.Net.Http.Json.JsonContent.Create(new { name = "Inbound MQLs", minimumMqlsPerMonth = 40, minimumAcceptancePercent = 60 }), ct))
            .EnsureSuccessStatusCode();

        var page = await app.SignInAsync(Emails.Manager);
        await page.GotoAsync("/settings/sla");

        var byRep = page.GetByTestId("sales-by-rep");
        await Expect(byRep.Locator("tr", new() { HasText = "Riley Rep" })).ToContainTextAsync("0%");
        await Expect(byRep.Locator("tr", new() { HasText = "Jordan Rep" })).ToContainTextAsync("100%");
        await Expect(byRep.Locator("tr", new() { HasText = "Jordan Rep" })).ToContainTextAsync("20 min");
        await Expect(page.GetByTestId("breaches")).ToContainTextAsync("broken@acme.io");
        await Expect(page.GetByTestId("commitment-scores")).ToContainTextAsync("Inbound MQLs");
        await Expect(page.Locator("#sales-chart")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "New policy" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retire MQL any" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit MQL any" })).ToHaveCountAsync(0);
        await page.ShotAsync("sla-overview-manager");

        var phone = await app.OpenAsync(phone: true);
        await phone.SubmitSignInAsync(Emails.Manager, Password);
        await phone.GotoAsync("/settings/sla");
        await Expect(phone.GetByTestId("sales-by-rep")).ToBeVisibleAsync();
        var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The service-level page is wider than a phone screen.");
        await phone.ShotAsync("sla-overview-phone");
    }
}
