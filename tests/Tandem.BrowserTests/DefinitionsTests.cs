using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>The shared vocabulary: marketing changes a reason code and sales uses it on the next lead.</summary>
public sealed class DefinitionsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Marketing_adds_a_rejection_reason_that_the_rep_then_offers_when_rejecting()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var maya = await app.SignInAsync(Emails.Marketing);
        await maya.GotoAsync("/definitions");

        await maya.GetByLabel("New code for why sales rejects an mql").FillAsync("went-dark");
        await maya.GetByLabel("Rejected leads go to").SelectOptionAsync("Recycled");
        await maya.Locator("#reasons-reject").GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Expect(maya.GetByRole(AriaRole.Status)).ToContainTextAsync("Added 'went-dark'");
        await Expect(maya.GetByTestId("reasons-reject")).ToContainTextAsync("went-dark → Recycled");
        await maya.ShotAsync("definitions-after-add");

        var riley = await app.SignInAsync(Emails.Riley);
        await riley.GotoAsync($"/people/{app.World.RileyLead}");
        await Expect(riley.GetByTestId("handoff")).ToBeVisibleAsync();
        await riley.GetByLabel("Rejection reason").SelectOptionAsync(new SelectOptionValue { Label = "Went dark" });
        await riley.GetByRole(AriaRole.Button, new() { Name = "Reject lead" }).ClickAsync();
        await Expect(riley.GetByTestId("person-stage")).ToHaveTextAsync("Recycled");

        await riley.GotoAsync("/definitions");
        await Expect(riley.GetByRole(AriaRole.Button, new() { Name = "Add" })).ToHaveCountAsync(0);
    }
}
