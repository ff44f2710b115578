using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tandem.Domain.Email;
using Tandem.Server.Email;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Notifications;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>
/// The nurture promise end to end, as people meet it: marketing builds a program in the web app and enrolls a lead; the
/// email reaches a real SMTP server; the lead follows the unsubscribe link in the email they received, without signing
/// in, and never gets another marketing email.
/// </summary>
public sealed partial class NurtureTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Marketing_builds_a_program_the_lead_gets_its_email_and_unsubscribes_from_the_link_in_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var smtp = await SmtpSink.StartAsync();
        await using var app = await WebApp.StartAsync(fixture, settings: new Dictionary<string, string?>
        {
            ["Tandem:Email:Smtp:Host"] = "127.0.0.1",
            ["Tandem:Email:Smtp:Port"] = smtp.Port.ToString(),
            ["Tandem:Email:Smtp:Security"] = "None",
            ["Tandem:Nurture:TickSeconds"] = "0.5",
        });
        var db = app.Server.Database;
        await db.WriteAsync((c, tx) => new EmailSettings("Lumen", "news@lumen.example", "hello@lumen.example", "Lumen GmbH, Hauptstraße 1, 10115 Berlin",
            RequireOptIn: false, FrequencyCap.Parse("3/7"), "Lumen", "#0b7285").WriteAsync(c, tx), ct);
        var templateId = await db.WriteAsync((c, tx) => c.QuerySingleAsync<long>(
            "INSERT INTO email_templates (name, kind, topic, subject, body_markdown, created_at, updated_at) VALUES ('Welcome', 'marketing', 'newsletter', " +
            "'Welcome, {{firstName | default: \"there\"}}', 'Hi {{firstName | default: \"there\"}}, here is [our guide](https://lumen.example/guide).', 0, 0) RETURNING id",
            transaction: tx), ct);

        var page = await app.SignInAsync(WebWorld.Emails.Marketing);
        await page.GetByRole(AriaRole.Link, new() { Name = "Programs", Exact = true }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Welcome series");
        await page.GetByLabel("Kind").FillAsync("welcome");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(page.GetByTestId("program-status")).ToHaveTextAsync("draft");

        // A definition with a mistake is refused with the field named, and what was typed stays.
        await page.GetByLabel("Definition (JSON)").FillAsync(Definition(templateId, wait: "soon"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Expect(page.GetByTestId("definition-error").First).ToContainTextAsync("steps[1]");

        await page.GetByLabel("Definition (JSON)").FillAsync(Definition(templateId, wait: "2d"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview who would enter" }).ClickAsync();
        // Nobody is a customer yet: the filter finds no one, so only the person enrolled by hand will get the email.
        await Expect(page.GetByTestId("entry-preview")).ToContainTextAsync("0 people match");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish the saved draft" }).ClickAsync();
        await Expect(page.GetByTestId("program-status")).ToHaveTextAsync("active");

        await page.GetByLabel("Email address or person id").FillAsync("rita@northwind.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enroll this person" }).ClickAsync();
        await Expect(page.GetByTestId("enrollments-table")).ToContainTextAsync("active");
        await page.ShotAsync("nurture-program");

        // The scheduler runs the first step; the sender hands the email to the SMTP server.
        var received = (await smtp.WaitForMimeAsync(1, TimeSpan.FromSeconds(60))).Single();
        Assert.Equal("rita@northwind.com", received.To.Mailboxes.Single().Address);
        Assert.Equal("Welcome, Rita", received.Subject);
        Assert.Equal("List-Unsubscribe=One-Click", received.Headers["List-Unsubscribe-Post"]);
        var unsubscribe = UnsubscribeLink().Match(received.HtmlBody ?? "");
        Assert.True(unsubscribe.Success, "The email's HTML has no unsubscribe link.");

        // The lead's own browser: no cookies, no sign-in.
        await using (var lead = await BrowserFixture.NewContextAsync(page.Context.Browser!))
        {
            var mail = await lead.NewPageAsync();
            await mail.GotoAsync(System.Net.WebUtility.HtmlDecode(unsubscribe.Groups[1].Value));
            await Expect(mail.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Unsubscribe");
            await Expect(mail.Locator("body")).ToContainTextAsync("rita@northwind.com");
            await mail.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
            await Expect(mail.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You are unsubscribed");
            await mail.ShotAsync("nurture-unsubscribed");
        }

        // Suppressed for every program: the next marketing email is held, and the person page says why.
        var person = app.World.RileyLead;
        var held = await db.WriteAsync((c, tx) => app.Server.Services.GetRequiredService<IEmailQueue>()
            .QueueAsync(c, tx, new EmailRequest(person, templateId, EmailKind.Marketing), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), ct);
        Assert.Equal(EmailHold.Suppressed, held.Hold);
        await page.GotoAsync($"/people/{person}");
        await Expect(page.GetByTestId("suppressed")).ToContainTextAsync("unsubscribed");
        await Expect(page.GetByTestId("person-enrollments")).ToContainTextAsync("Welcome series");
        await Expect(page.GetByTestId("person-sends")).ToContainTextAsync("Welcome, Rita");
    }

    private static string Definition(long templateId, string wait) => $$"""
        {
          "entry": { "filter": { "stage": "Customer" } },
          "steps": [
            { "key": "welcome", "type": "email", "templateId": {{templateId}} },
            { "key": "pause", "type": "wait", "duration": "{{wait}}" },
            { "key": "end", "type": "exit" }
          ],
          "exits": [ "replied", "unsubscribed", "bounced" ],
          "holdoutPercent": 0
        }
        """;

    [GeneratedRegex("href=\"([^\"]*/e/u/[^\"]+)\"")]
    private static partial Regex UnsubscribeLink();
}
