using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>The bell: a colleague's mention reaches a rep, who follows it to the lead and chooses how mentions reach them.</summary>
public sealed class NotificationBellTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_rep_mentioned_in_a_note_sees_the_bell_count_follows_it_to_the_lead_and_chooses_how_mentions_reach_them(bool phone)
    {
        await using var app = await WebApp.StartAsync(fixture);
        var sam = await app.SignInAsync(Emails.Manager);
        await sam.GotoAsync($"/people/{app.World.RileyLead}");
        await sam.GetByRole(AriaRole.Radio, new() { Name = "Note", Exact = true }).CheckAsync();
        await sam.GetByLabel("Notes").FillAsync("@riley she asked for pricing — call her before Friday.");
        await sam.GetByRole(AriaRole.Button, new() { Name = "Log activity" }).ClickAsync();
        await Expect(sam.GetByRole(AriaRole.Status)).ToContainTextAsync("Logged the note");

        var riley = await app.OpenAsync(phone);
        await riley.SubmitSignInAsync(Emails.Riley, Tandem.Tests.Infrastructure.WebWorld.Password);
        var size = phone ? "phone" : "desktop";
        await Expect(riley.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await riley.ShotAsync($"bell-{size}");
        await riley.GetByRole(AriaRole.Link, new() { Name = "Notifications, 1 unread" }).ClickAsync();

        var item = riley.GetByTestId("notification");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item).ToContainTextAsync("Sam Manager mentioned you on");
        await Expect(item).ToContainTextAsync("call her before Friday");
        await Expect(item).ToContainTextAsync("Mentions · just now · unread");
        await riley.ShotAsync($"notifications-{size}");

        await item.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(riley).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/people/{app.World.RileyLead}$"));
        await Expect(riley.GetByTestId("bell-count")).ToHaveCountAsync(0);
        await Expect(riley.GetByRole(AriaRole.Link, new() { Name = "Notifications, none unread" })).ToBeVisibleAsync();

        await riley.GotoAsync("/me");
        await riley.GetByLabel("Mentions").SelectOptionAsync(new SelectOptionValue { Label = "App only" });
        await riley.GetByRole(AriaRole.Button, new() { Name = "Save notification choices" }).ClickAsync();
        await Expect(riley.GetByRole(AriaRole.Status)).ToContainTextAsync("Notification choices saved.");
        await Expect(riley.GetByLabel("Mentions")).ToHaveValueAsync("in_app");
        await riley.Locator("#notifications").ScrollIntoViewIfNeededAsync();
        await riley.ShotAsync($"notification-choices-{size}");
    }
}
