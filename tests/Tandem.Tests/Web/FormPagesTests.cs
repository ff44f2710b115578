using System.Net;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>The Forms section: built in the browser with the API's own rules, sent by visitors from its own page, and only for marketing and admins.</summary>
public abstract class FormPagesTests(DatabaseProvider provider)
{
    private static Dictionary<string, string> Editor(string name, string? redirect = null, bool emailRequired = true) => new()
    {
        ["Editor.Name"] = name,
        ["Editor.Fields[0].Field"] = "email", ["Editor.Fields[0].Label"] = "Work email", ["Editor.Fields[0].Required"] = emailRequired ? "true" : "false",
        ["Editor.Fields[1].Field"] = "firstName", ["Editor.Fields[1].Label"] = "First name", ["Editor.Fields[1].Required"] = "true",
        ["Editor.Fields[2].Field"] = "", ["Editor.Fields[2].Label"] = "",
        ["Editor.Fields[3].Field"] = "custom", ["Editor.Fields[3].Custom"] = "use_case", ["Editor.Fields[3].Label"] = "What for?",
        ["Editor.Confirmation"] = redirect is null ? "message" : "redirect", ["Editor.ConfirmationMessage"] = "Thanks, we will call you.",
        ["Editor.RedirectUrl"] = redirect ?? "",
    };

    private static Task<long> FormCount(TandemServer server) =>
        server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM forms"), TestContext.Current.CancellationToken);

    private static async Task<(long Id, string Key)> CreateAsync(WebSession session, TandemServer server, string name)
    {
        var created = await session.SubmitAsync("/forms/new", Editor(name));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = long.Parse(created.Headers.Location!.OriginalString.Split('/')[^1]);
        var key = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT form_key FROM forms WHERE id = @id", new { id }),
            TestContext.Current.CancellationToken);
        return (id, key!);
    }

    [Fact]
    public async Task Marketing_builds_a_form_without_json_and_a_refused_field_is_named_beside_its_row()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);

        var refused = await maya.SubmitAsync("/forms/new", Editor("Demo request", redirect: "ftp://lumen.example/thanks", emailRequired: false));
        var refusedPage = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("data-testid=\"redirectUrl-error\"", refusedPage);
        Assert.Contains("data-testid=\"required-0-error\"", refusedPage); // the email row: the same rule POST /api/v1/forms applies
        Assert.Contains("value=\"use_case\"", refusedPage); // what was typed comes back
        Assert.Equal(0, await FormCount(server));

        var (id, key) = await CreateAsync(maya, server, "Demo request");
        var page = await maya.GetPageAsync($"/forms/{id}");
        Assert.Contains($"/f/{key}", page);
        Assert.Contains("data-testid=\"public-url\"", page);
        Assert.Contains("name=&quot;custom.use_case&quot;", page); // the snippet, encoded for the page it is shown on
        Assert.Contains("What for?", page);
        var edit = await maya.GetPageAsync($"/forms/{id}/edit");
        Assert.Contains("value=\"use_case\"", edit);

        var changed = await maya.SubmitAsync($"/forms/{id}/edit", Editor("Demo request (EMEA)", redirect: "https://lumen.example/thanks"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var stored = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Name, string FormKey, string? RedirectUrl, string? Message)>(
            "SELECT name, form_key, redirect_url, confirmation_message FROM forms WHERE id = @id", new { id }), TestContext.Current.CancellationToken);
        Assert.Equal(("Demo request (EMEA)", key, "https://lumen.example/thanks", (string?)null), stored);
    }

    [Fact]
    public async Task A_visitor_sends_the_forms_own_page_and_marketing_sees_the_submission_newest_first_with_the_person()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        var (id, key) = await CreateAsync(maya, server, "<script>alert(1)</script> Webinar");
        using var visitor = WebSession.Anonymous(server);

        var hosted = await visitor.GetAsync($"/f/{key}?utm_source=newsletter&utm_campaign=%22%3E%3Cb%3E");
        var hostedHtml = await hosted.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, hosted.StatusCode);
        Assert.Contains("What for?", hostedHtml);
        Assert.Contains("value=\"newsletter\"", hostedHtml);
        Assert.DoesNotContain("<script>alert(1)</script>", hostedHtml);
        Assert.DoesNotContain("\"><b>", hostedHtml);

        var missing = await visitor.PostWithoutTokenAsync($"/f/{key}", new() { ["email"] = "lena@fjord-energy.com" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("firstName", await missing.Content.ReadAsStringAsync(ct));

        var sent = await visitor.PostWithoutTokenAsync($"/f/{key}", new()
        {
            ["email"] = "lena@fjord-energy.com", ["firstName"] = "Lena", ["custom.use_case"] = "alerts", ["utm_source"] = "newsletter",
        });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("Thanks, we will call you.", await sent.Content.ReadAsStringAsync(ct));
        (await visitor.PostWithoutTokenAsync($"/f/{key}", new() { ["email"] = "omar@contoso.com", ["firstName"] = "Omar" })).EnsureSuccessStatusCode();

        var list = await maya.GetPageAsync("/forms");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Webinar", list);
        Assert.DoesNotContain("<script>alert(1)</script>", list);
        Assert.Contains("data-testid=\"form-submissions\">2<", list);
        var page = await maya.GetPageAsync($"/forms/{id}");
        Assert.Contains("data-testid=\"submission-count\">2<", page);
        var omar = page.IndexOf("Omar", StringComparison.Ordinal);
        var lena = page.IndexOf("Lena", StringComparison.Ordinal);
        Assert.True(omar > 0 && lena > omar, "the newest submission comes first");
        var lenaId = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT id FROM people WHERE email = 'lena@fjord-energy.com'"), ct);
        Assert.Contains($"href=\"/people/{lenaId}\"", page);
        Assert.Contains("use case: alerts", page);
    }

    [Fact]
    public async Task Reps_and_managers_have_no_forms_section_and_a_post_without_its_token_is_refused()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        var (id, _) = await CreateAsync(maya, server, "Demo request");

        foreach (var email in new[] { Emails.Riley, Emails.Manager })
        {
            using var session = await WebSession.SignInAsync(server, email);
            Assert.DoesNotContain("href=\"/forms\"", await session.GetPageAsync("/"));
            foreach (var url in new[] { "/forms", $"/forms/{id}", "/forms/new", $"/forms/{id}/edit" })
                Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await session.PostWithoutTokenAsync("/forms/new", Editor("Sneaky"))).StatusCode);
        }
        Assert.Contains("href=\"/forms\"", await maya.GetPageAsync("/"));
        var forged = await maya.PostWithoutTokenAsync("/forms/new", Editor("Forged"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(1, await FormCount(server));
    }
}

public sealed class FormPagesTestsOnSqlite() : FormPagesTests(DatabaseProvider.Sqlite);

public sealed class FormPagesTestsOnPostgres() : FormPagesTests(DatabaseProvider.Postgres);
