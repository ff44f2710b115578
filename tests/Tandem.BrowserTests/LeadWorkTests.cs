using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.BrowserTests;

/// <summary>The daily work on leads: logging a call, changing a stage with a reason, bulk actions, exporting a list.</summary>
public sealed class LeadWorkTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_rep_logs_a_call_and_sees_it_on_the_timeline()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Riley);
        await page.GotoAsync($"/people/{app.World.RileyLead}");

        await page.GetByText("Call", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("Subject").FillAsync("Discovery call");
        await page.GetByLabel("Call outcome").SelectOptionAsync("connected");
        await page.GetByLabel("Notes").FillAsync("Evaluating vendors this quarter.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log activity" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Logged the call");
        var first = page.GetByTestId("timeline").Locator("li").First;
        await Expect(first).ToContainTextAsync("Call — connected");
        await Expect(first).ToContainTextAsync("Evaluating vendors this quarter.");
        await Expect(first).ToContainTextAsync("by Riley Rep");
        await page.ShotAsync("person-after-call");
    }

    [Fact]
    public async Task A_rep_rejects_a_lead_with_a_reason_and_the_history_records_who_and_why()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Riley);
        await page.GotoAsync($"/people/{app.World.RileyLead}");

        await page.GetByLabel("New stage").SelectOptionAsync("Disqualified");
        await Expect(page.GetByLabel("Reason", new() { Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Reason", new() { Exact = true }).SelectOptionAsync("bad-fit");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Note", Exact = true }).FillAsync("Agency, not an end customer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change stage" }).ClickAsync();

        await Expect(page.GetByTestId("person-stage")).ToHaveTextAsync("Disqualified");
        var latest = page.GetByTestId("stage-history").Locator("li").First;
        await Expect(latest).ToContainTextAsync("from MQL · Bad fit");
        await Expect(latest).ToContainTextAsync("Riley Rep");
        await Expect(latest).ToContainTextAsync("Agency, not an end customer");
    }

    [Fact]
    public async Task A_rep_accepts_one_lead_from_the_inbox_and_rejects_another_with_a_reason()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Riley);
        await page.GotoAsync("/inbox");
        await page.ShotAsync("inbox-before-handoff");

        await page.GetByRole(AriaRole.Button, new() { Name = "Accept Rita Northwind" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Accepted Rita Northwind");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Accept Rita Northwind" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Reject Raj Contoso with a reason" }).ClickAsync();
        var handoff = page.GetByTestId("handoff");
        await Expect(handoff).ToContainTextAsync("Marketing qualified this lead");
        // Submitting without a reason: the browser's check is bypassed so the server's refusal shows.
        await page.EvalOnSelectorAsync("#reject-reason", "el => el.required = false");
        await handoff.GetByRole(AriaRole.Button, new() { Name = "Reject lead" }).ClickAsync();
        await Expect(handoff).ToContainTextAsync("Rejecting needs a reason code");
        await page.ShotAsync("person-reject-refused");

        await page.GetByLabel("Rejection reason").SelectOptionAsync(new SelectOptionValue { Label = "No budget" });
        await page.GetByLabel("Why (marketing sees this)").FillAsync("Budget frozen until Q3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject lead" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Rejected Raj Contoso");
        await Expect(page.GetByTestId("person-stage")).ToHaveTextAsync("Recycled");
        await Expect(page.GetByTestId("decisions")).ToContainTextAsync("Rejected · No budget");
        await Expect(page.GetByTestId("stage-history").Locator("li").First).ToContainTextAsync("Budget frozen until Q3");
        await page.ShotAsync("person-after-reject");

        await page.GotoAsync($"/people/{app.World.RileyLead}");
        await Expect(page.GetByTestId("person-stage")).ToHaveTextAsync("SAL");
        await Expect(page.GetByTestId("decisions")).ToContainTextAsync("Accepted");
        await page.ShotAsync("person-accepted");
    }

    [Fact]
    public async Task A_rep_opens_an_opportunity_and_wins_it()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Jordan);
        await page.GotoAsync($"/people/{app.World.JordanLead}");

        await page.GetByLabel("Opportunity amount").FillAsync("24,000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open opportunity" }).ClickAsync();
        await Expect(page.GetByTestId("person-stage")).ToHaveTextAsync("Opportunity");
        await page.GetByLabel("Won amount").FillAsync("22500");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark won" }).ClickAsync();

        await Expect(page.GetByTestId("person-stage")).ToHaveTextAsync("Customer");
        await Expect(page.GetByTestId("decisions")).ToContainTextAsync("Won · 22,500.00");
        await Expect(page.GetByTestId("decisions")).ToContainTextAsync("Opportunity · 24,000.00");
    }

    [Fact]
    public async Task A_stage_that_needs_a_reason_is_refused_without_one()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Riley);
        await page.GotoAsync($"/people/{app.World.RileyLead}");

        await page.GetByLabel("New stage").SelectOptionAsync("Recycled");
        // Bypass the browser's own required-field check: the server must refuse on its own.
        await page.EvalOnSelectorAsync("#ReasonCode", "el => el.required = false");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change stage" }).ClickAsync();

        await Expect(page.GetByTestId("form-errors")).ToContainTextAsync("needs a reason code");
        await Expect(page.GetByTestId("person-stage")).ToHaveTextAsync("MQL");
        // The form comes back as it was filled in, with the reason picker open and its error beside it.
        await Expect(page.GetByLabel("New stage")).ToHaveValueAsync("Recycled");
        await Expect(page.Locator("[data-reason-field] .field-error")).ToContainTextAsync("needs a reason code");
        await page.ShotAsync("person-stage-refused");
    }

    [Fact]
    public async Task Marketing_assigns_selected_leads_in_bulk_and_the_manager_accepts_them_in_bulk()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Marketing);
        await page.GotoAsync("/people?stage=MQL");
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("3 people");

        await page.GetByLabel("Select Rita Northwind").CheckAsync();
        await page.GetByLabel("Select Raj Contoso").CheckAsync();
        await Expect(page.Locator("[data-selected-count]")).ToHaveTextAsync("2 leads selected");
        await page.GetByLabel("New owner").SelectOptionAsync(new SelectOptionValue { Label = "Jordan Rep" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Assigned 2 leads");
        // Accepting is sales' decision: marketing is not offered the sales stages.
        await Expect(page.Locator("#bulk-stage option[value='SAL']")).ToHaveCountAsync(0);

        var sam = await app.SignInAsync(Emails.Manager);
        await sam.GotoAsync("/people?stage=MQL");
        await sam.GetByLabel("Select Rita Northwind").CheckAsync();
        await sam.GetByLabel("Select Raj Contoso").CheckAsync();
        await sam.GetByLabel("New stage").SelectOptionAsync("SAL");
        await sam.GetByRole(AriaRole.Button, new() { Name = "Change stage" }).ClickAsync();
        await Expect(sam.GetByRole(AriaRole.Status)).ToContainTextAsync("Moved 2 leads to SAL");
        await Expect(sam.GetByTestId("result-count")).ToContainTextAsync("0 people");
        await sam.ShotAsync("people-after-bulk");

        var jordan = await app.SignInAsync(Emails.Jordan);
        await jordan.GotoAsync("/people");
        await Expect(jordan.GetByTestId("result-count")).ToContainTextAsync("3 people");
    }

    [Fact]
    public async Task Exporting_a_filtered_list_downloads_just_those_leads_as_csv()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Marketing);
        await page.GotoAsync("/people");
        await page.GetByLabel("Stage", new() { Exact = true }).SelectOptionAsync("MQL");
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("3 people");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path, ct)).ToList();

        Assert.EndsWith(".csv", download.SuggestedFilename);
        Assert.StartsWith("id,email,first_name", lines[0]);
        Assert.Equal(3, lines.Count - 1);
        Assert.All(lines.Skip(1), line => Assert.Contains(",MQL,", line));
    }

    [Fact]
    public async Task A_saved_view_brings_back_its_filters()
    {
        await using var app = await WebApp.StartAsync(fixture);
        var page = await app.SignInAsync(Emails.Marketing);
        await page.GotoAsync("/people?stage=SAL");

        await page.GetByPlaceholder("Name this view").FillAsync("Accepted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save view" }).ClickAsync();
        await page.GotoAsync("/people");
        await page.GetByRole(AriaRole.Link, new() { Name = "Accepted" }).ClickAsync();

        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("1 person");
        await Expect(page.GetByTestId("people-table")).ToContainTextAsync("Joanna Fabrikam");
    }
}
