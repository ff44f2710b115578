using System.Text.Json;
using Dapper;
using Microsoft.Playwright;
using Tandem.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.BrowserTests;

/// <summary>A rep working a busy inbox on a phone, and wide settings tables that scroll inside their cards.</summary>
public sealed class InboxFiltersTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_rep_on_a_phone_filters_to_overdue_MQLs_shares_the_view_and_finds_the_hand_off_card_first_on_the_lead()
    {
        await using var app = await WebApp.StartAsync(fixture, new ManualClock(MondayNine), ManualTicks);
        var riley = app.World.Users[Emails.Riley];
        var leads = await InboxWorkload.SeedAsync(app.Server.Database, [riley, app.World.Users[Emails.Jordan]], 120, MondayNine);
        var overdueMqls = leads.Where(l => l.OwnerId == riley && l.Stage == "MQL" && l.Overdue).InInboxOrder().ToList();

        var phone = await app.OpenAsync(phone: true);
        await phone.SubmitSignInAsync(Emails.Riley, Password);
        await phone.GotoAsync("/inbox");
        await phone.GetByTestId("filter-overdue").ClickAsync();
        await Expect(phone).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/inbox\\?due=overdue$"));
        await phone.GetByTestId("filter-stage-MQL").ClickAsync();
        await Expect(phone).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/inbox\\?stage=MQL&due=overdue$"));

        var rows = phone.GetByTestId("inbox-lead");
        await Expect(rows).ToHaveCountAsync(overdueMqls.Count);
        await Expect(rows.First).ToContainTextAsync(overdueMqls[0].Name);
        await Expect(phone.GetByTestId("filter-overdue-count")).ToHaveTextAsync(overdueMqls.Count.ToString());
        await Expect(phone.GetByTestId("filter-overdue")).ToHaveAttributeAsync("aria-current", "true");
        await AssertNothingWiderThanTheScreenAsync(phone, "filtered inbox");
        await phone.ShotAsync("inbox-filtered-phone");

        // The address is the view: opened afresh, the link lists the same leads.
        var shared = await app.OpenAsync(phone: true);
        await shared.SubmitSignInAsync(Emails.Riley, Password);
        await shared.GotoAsync(phone.Url);
        await Expect(shared.GetByTestId("inbox-lead")).ToHaveCountAsync(overdueMqls.Count);
        await Expect(shared.GetByTestId("filter-stage-MQL")).ToHaveAttributeAsync("aria-current", "true");

        await rows.First.GetByRole(AriaRole.Link, new() { Name = overdueMqls[0].Name, Exact = true }).ClickAsync();
        var handoff = phone.GetByTestId("handoff");
        await Expect(handoff).ToBeInViewportAsync();
        await Expect(handoff.GetByRole(AriaRole.Button, new() { Name = "Accept lead" })).ToBeVisibleAsync();
        // First of all the page's cards, above the owner, scores and profile that come first in the markup.
        var cardTops = await phone.EvaluateAsync<double[]>("() => [...document.querySelectorAll('.person-grid .card')].map(c => c.getBoundingClientRect().top)");
        var handoffBox = await handoff.BoundingBoxAsync();
        Assert.NotNull(handoffBox);
        Assert.Equal(cardTops.Min(), handoffBox.Y, 1.0);
        await AssertNothingWiderThanTheScreenAsync(phone, "person");
        await phone.ShotAsync("person-handoff-first-phone");

        // On a wide screen the two columns stay as they were: the hand-off card heads the right-hand column.
        var desk = await app.SignInAsync(Emails.Riley);
        await desk.GotoAsync($"/people/{overdueMqls[0].Id}");
        var deskHandoff = await desk.GetByTestId("handoff").BoundingBoxAsync();
        var firstCard = await desk.Locator(".person-grid .card").First.BoundingBoxAsync();
        Assert.True(deskHandoff!.X > firstCard!.X + firstCard.Width, "On a wide screen the hand-off card is in the right-hand column");
    }

    [Fact]
    public async Task The_routing_reps_table_scrolls_inside_its_card_at_every_width_and_clips_nothing()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Long values, as a real workspace has: a long time zone, several working-hour spans, several teams.
        await app.Server.Database.WriteAsync(async (c, tx) =>
        {
            foreach (var (user, zone) in new[] { (Emails.Riley, "America/Argentina/ComodRivadavia"), (Emails.Jordan, "America/North_Dakota/New_Salem") })
                await c.ExecuteAsync(
                    "INSERT INTO rep_profiles (user_id, time_zone, working_hours, capacity, daily_quota, weight, updated_at) VALUES (@id, @zone, @hours, 40, 12, 3, @now)",
                    new { id = app.World.Users[user], zone, now, hours = JsonSerializer.Serialize(new Dictionary<string, string[]>
                    {
                        ["monday"] = ["08:00-12:00", "13:00-17:30"], ["tuesday"] = ["08:00-12:00", "13:00-17:30"], ["wednesday"] = ["09:00-13:00"],
                        ["thursday"] = ["08:00-12:00", "13:00-17:30"], ["friday"] = ["08:00-12:00"],
                    }) }, tx);
            await c.ExecuteAsync("UPDATE teams SET name = name || ' — North American enterprise accounts'", transaction: tx);
        }, TestContext.Current.CancellationToken);
        var page = await app.SignInAsync(Emails.Admin);
        await page.GotoAsync("/settings/routing");
        await Expect(page.GetByTestId("reps-table")).ToContainTextAsync("America/Argentina/ComodRivadavia");

        foreach (var width in new[] { 390, 600, 860, 900, 1024, 1180, 1360, 1920 })
        {
            await page.SetViewportSizeAsync(width, 900);
            var fit = await page.EvaluateAsync<JsonElement>(@"() => {
                const table = document.querySelector('[data-testid=reps-table]');
                const wrap = table.closest('.table-wrap'), card = table.closest('.card');
                const c = card.getBoundingClientRect(), w = wrap.getBoundingClientRect();
                const clipped = [...table.querySelectorAll('td, th')].filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.textContent.trim().slice(0, 40));
                return { cardLeft: c.left, cardRight: c.right, wrapLeft: w.left, wrapRight: w.right, tableWidth: table.getBoundingClientRect().width,
                         wrapWidth: wrap.clientWidth, wrapScroll: wrap.scrollWidth, overflowX: getComputedStyle(wrap).overflowX,
                         page: document.documentElement.scrollWidth - window.innerWidth, clipped };
            }");
            var said = $"at {width}px: {fit}";
            Assert.True(fit.GetProperty("wrapLeft").GetDouble() >= fit.GetProperty("cardLeft").GetDouble() - 1, said);
            Assert.True(fit.GetProperty("wrapRight").GetDouble() <= fit.GetProperty("cardRight").GetDouble() + 1, said);
            Assert.True(fit.GetProperty("page").GetDouble() <= 1, "The page is wider than the screen " + said);
            Assert.Equal(0, fit.GetProperty("clipped").GetArrayLength());
            // A table wider than its card is reachable by scrolling inside the card, not cut off at its edge.
            if (fit.GetProperty("wrapScroll").GetDouble() > fit.GetProperty("wrapWidth").GetDouble() + 1)
                Assert.Contains(fit.GetProperty("overflowX").GetString(), new[] { "auto", "scroll" });
            if (width is 390 or 1024) await page.ShotAsync($"routing-reps-{width}");
        }
    }

    private static async Task AssertNothingWiderThanTheScreenAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 1, $"The {what} page is {overflow}px wider than the screen");
    }
}
