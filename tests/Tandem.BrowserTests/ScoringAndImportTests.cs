using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>Marketing changes the scoring model on the scoring page and imports a CSV; sales reads the model but cannot change it.</summary>
public sealed class ScoringAndImportTests(BrowserFixture fixture)
{
    // Re-scoring and imports run in the background and the page refreshes itself; on a loaded machine that takes a while.
    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task Marketing_changes_the_MQL_definition_sees_the_preview_and_publishes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Marketing);

        await page.GetByRole(AriaRole.Link, new() { Name = "Scoring", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("mql-definition")).ToContainTextAsync("Grade B or better and engagement 40 or more");
        await Expect(page.GetByTestId("fit-rules")).ToContainTextAsync("Business email");
        await Expect(page.GetByTestId("engagement-rules")).ToContainTextAsync("14 days");

        // Everyone in the test company is a grade B data leader with no engagement yet: asking for none qualifies them all.
        await page.GetByLabel("Min grade").First.SelectOptionAsync("C");
        await page.Locator("#eng-0").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        await Expect(page.GetByTestId("preview-definition")).ToContainTextAsync("Grade C or better and engagement 0 or more");
        // Only Nia is still a Lead; the others are past MQL already, so the preview moves one person.
        await Expect(page.GetByTestId("preview-into")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("preview-people")).ToHaveTextAsync("5");
        await Expect(page.GetByTestId("preview-grades")).ToContainTextAsync("B");
        await page.ShotAsync("scoring-preview");
        Assert.Single(await app.Server.Services.GetRequiredService<ScoringModels>().ListAsync(ct));

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.GetByTestId("rescore-status")).ToContainTextAsync("Done: 5 people re-scored, 1 moved to MQL", Slow);
        await Expect(page.GetByTestId("mql-definition")).ToContainTextAsync("Grade C or better and engagement 0 or more");
        await Expect(page.GetByTestId("active-version")).ToContainTextAsync("v2");
        await page.ShotAsync("scoring-published");

        await page.GotoAsync($"/people/{app.World.UnownedLead}");
        await Expect(page.GetByTestId("person-stage")).ToHaveTextAsync("MQL");
        await Expect(page.GetByTestId("score-explanation")).ToContainTextAsync("meets the MQL definition");
        await Expect(page.GetByTestId("fit-points")).ToContainTextAsync("Data leader");
        await page.ShotAsync("person-score-explanation");
    }

    [Fact]
    public async Task A_refused_model_shows_each_problem_beside_its_field()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Admin);
        await page.GotoAsync("/scoring");

        await page.Locator("#eng-0").FillAsync("140");
        var json = await page.Locator("#modelJson").InputValueAsync();
        await page.Locator("#modelJson").FillAsync(json.Replace("\"halfLifeDays\": 14", "\"halfLifeDays\": -1"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        await Expect(page.GetByTestId("mql-row-0")).ToContainTextAsync("Must be between 0 and 100.");
        await Expect(page.GetByTestId("json-errors")).ToContainTextAsync("halfLifeDays");
        await Expect(page.GetByTestId("preview")).ToHaveCountAsync(0);
        await page.ShotAsync("scoring-refused");
    }

    [Fact]
    public async Task A_sales_rep_reads_the_scoring_model_but_cannot_change_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Riley);

        await page.GetByRole(AriaRole.Link, new() { Name = "Scoring", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("mql-definition")).ToContainTextAsync("Grade B or better");
        await Expect(page.Locator("textarea")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Preview" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Imports" })).ToHaveCountAsync(0);
        await page.ShotAsync("scoring-read-only");

        // Posting the form anyway, with a valid antiforgery token of the rep's own session, is refused by the server.
        var models = app.Server.Services.GetRequiredService<ScoringModels>();
        var active = (await models.ActiveAsync(ct))!.Model;
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        foreach (var (handler, field) in new[] { ("Publish", "draftJson"), ("Preview", "modelJson") })
        {
            var form = page.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token);
            form.Set(field, Json.Write(active with { Mql = new() { Any = [new() { MinGrade = "D" }] } }));
            var response = await page.APIRequest.PostAsync($"/scoring?handler={handler}", new() { Form = form });
            Assert.Equal(403, response.Status);
        }
        Assert.Single(await models.ListAsync(ct));

        Assert.Equal(403, (await page.GotoAsync("/imports"))!.Status);
    }

    [Fact]
    public async Task An_import_with_a_bad_row_shows_its_error_and_the_good_rows_land()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Marketing);
        var csv = new FilePayload
        {
            Name = "trade-show.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("Email,First Name,Last Name,Company\nada@analytical.io,Ada,Lovelace,Analytical\nnot-an-email,Bad,Row,Nowhere\ngrace@navy.example,Grace,Hopper,Navy\n"),
        };

        await page.GetByRole(AriaRole.Link, new() { Name = "Imports", Exact = true }).ClickAsync();
        await page.GetByLabel("CSV file").SetInputFilesAsync(csv);
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Dry run" })).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        await Expect(page.GetByTestId("preview-valid")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("preview-invalid")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("mapping")).ToContainTextAsync("email");
        await Expect(page.GetByTestId("import-problems")).ToContainTextAsync("not-an-email");
        await page.ShotAsync("import-dry-run");
        Assert.Equal(0, await CountAsync(app, "SELECT COUNT(*) FROM people WHERE email IN ('ada@analytical.io', 'grace@navy.example')"));

        await page.GetByLabel("CSV file").SetInputFilesAsync(csv);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Dry run" }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        await Expect(page.GetByTestId("import-status")).ToContainTextAsync("completed", Slow);
        await Expect(page.GetByTestId("count-created")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("count-errors")).ToHaveTextAsync("1");
        var problems = page.GetByTestId("import-problems");
        await Expect(problems).ToContainTextAsync("not-an-email");
        await Expect(problems.Locator("tbody tr").First.Locator("td").First).ToHaveTextAsync("3");
        await page.ShotAsync("import-done");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the error report" }).ClickAsync());
        var report = await File.ReadAllTextAsync((await download.PathAsync())!, ct);
        Assert.StartsWith("row,column,value,reason\n3,", report);
        Assert.Contains("not-an-email", report);

        Assert.Equal(2, await CountAsync(app, "SELECT COUNT(*) FROM people WHERE email IN ('ada@analytical.io', 'grace@navy.example')"));
        await page.GotoAsync("/people?q=hopper");
        await Expect(page.GetByTestId("people-table")).ToContainTextAsync("Grace Hopper");
        await page.GotoAsync("/imports");
        await Expect(page.GetByTestId("imports-table")).ToContainTextAsync("trade-show.csv");
    }

    [Fact]
    public async Task The_scoring_and_imports_pages_fit_a_phone_and_label_every_control()
    {
        await using var app = await WebApp.StartAsync(fixture);
        // On a phone the signed-in name is hidden behind the avatar, so sign in without waiting for it.
        var page = await app.OpenAsync(phone: true);
        await page.SubmitSignInAsync(Emails.Admin, Password);

        await page.GotoAsync("/scoring");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(page.GetByTestId("preview-people")).ToHaveTextAsync("5");
        await page.ShotAsync("scoring-phone");
        await AssertFitsAsync(page, "scoring");

        await page.GotoAsync("/imports");
        await page.ShotAsync("imports-phone");
        await AssertFitsAsync(page, "imports");

        await page.GotoAsync($"/people/{app.World.RileyLead}");
        await Expect(page.GetByTestId("score-explanation")).ToBeVisibleAsync();
        await AssertFitsAsync(page, "person");
    }

    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 80))");
        Assert.True(unlabelled.Length == 0, $"Unlabelled controls on the {what} page: {string.Join(" | ", unlabelled)}");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 1, $"The {what} page is {overflow}px wider than the screen.");
    }

    private static Task<long> CountAsync(WebApp app, string sql) => app.Server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql));
}
