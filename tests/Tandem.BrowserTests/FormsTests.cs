using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>Marketing builds a web form, a visitor sends it from the form's own page, and the submission shows up on the form.</summary>
public sealed class FormsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Marketing_creates_a_form_a_visitor_sends_it_and_marketing_sees_the_submission()
    {
        await using var app = await WebApp.StartAsync(fixture);
        using (var api = await app.Server.AdminClientAsync())
            (await api.PostAsJsonAsync("/api/v1/campaigns", new { name = "Spring webinar", channel = "Events", utmCampaign = "spring-webinar" },
                TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var page = await app.SignInAsync(Emails.Marketing);

        await page.GetByRole(AriaRole.Link, new() { Name = "Forms", Exact = true }).ClickAsync();
        await page.GetByTestId("new-form").ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Webinar sign-up");
        await page.GetByLabel("Campaign it credits").SelectOptionAsync(new SelectOptionValue { Label = "Spring webinar" });
        await page.GetByLabel("Person field of row 5").SelectOptionAsync("title");
        await page.GetByLabel("Label of row 5").FillAsync("Your role");
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("You're on the list. See you at the webinar!");
        await page.ShotAsync("forms-new");
        await page.GetByTestId("save-form").ClickAsync();

        await Expect(page.GetByTestId("form-name")).ToHaveTextAsync("Webinar sign-up");
        await Expect(page.GetByTestId("embed-snippet")).ToContainTextAsync("name=\"title\"");
        await Expect(page.GetByTestId("submission-count")).ToHaveTextAsync("0");
        await page.ShotAsync("forms-form");
        var publicUrl = await page.GetByTestId("public-url").GetAttributeAsync("href");

        // A visitor, on a phone, with no Tandem account, follows the link from a newsletter.
        var visitor = await app.OpenAsync(phone: true);
        await visitor.GotoAsync(publicUrl + "?utm_source=newsletter&utm_medium=email");
        await visitor.GetByLabel("Work email").FillAsync("lena@fjord-energy.com");
        await visitor.GetByLabel("First name").FillAsync("Lena");
        await visitor.GetByLabel("Your role").FillAsync("Head of Data");
        await visitor.ShotAsync("forms-public-page-phone");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(visitor.GetByTestId("form-confirmation")).ToHaveTextAsync("You're on the list. See you at the webinar!");

        await page.ReloadAsync();
        await Expect(page.GetByTestId("submission-count")).ToHaveTextAsync("1");
        var row = page.GetByTestId("submission-row");
        await Expect(row).ToContainTextAsync("Lena");
        await Expect(row).ToContainTextAsync("Job title: Head of Data");
        await page.ShotAsync("forms-submission");
        await page.GotoAsync("/forms");
        await Expect(page.GetByTestId("form-row")).ToContainTextAsync("Spring webinar");
        await Expect(page.GetByTestId("form-submissions")).ToHaveTextAsync("1");
        await page.ShotAsync("forms-list");

        await page.GetByTestId("form-row").GetByRole(AriaRole.Link, new() { Name = "Webinar sign-up" }).ClickAsync();
        await page.GetByTestId("submission-row").GetByRole(AriaRole.Link, new() { Name = "Lena" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/people/[0-9]+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Lena");

        var phone = await app.OpenAsync(phone: true);
        await phone.SubmitSignInAsync(Emails.Marketing, Password);
        await phone.GotoAsync("/forms");
        await Expect(phone.GetByTestId("form-submissions")).ToHaveTextAsync("1");
        await phone.ShotAsync("forms-list-phone");
        await phone.GotoAsync("/forms/new");
        await Expect(phone.GetByTestId("field-row-4")).ToBeVisibleAsync();
        await phone.ShotAsync("forms-new-phone");
    }
}
