using System.Net;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>The email settings page and a user's own signature: the same rules as the API, field by field, and only for those allowed.</summary>
public abstract class EmailSettingsPagesTests(DatabaseProvider provider)
{
    private static Dictionary<string, string> Settings(string from, string cap) => new()
    {
        ["FromName"] = "Lumen", ["FromAddress"] = from, ["PhysicalAddress"] = "1 Main St\nSpringfield", ["FrequencyCap"] = cap,
        ["CompanyName"] = "Lumen", ["BrandColor"] = "#2f5bea", ["RequireOptIn"] = "true",
    };

    private static Task<string?> Setting(TandemServer server, string key) => server.Database.ReadAsync(c =>
        c.ExecuteScalarAsync<string?>("SELECT value FROM workspace_settings WHERE key = @key", new { key }), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Marketing_saves_the_email_settings_and_a_bad_field_is_named_and_stores_nothing()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);

        var refused = await maya.SubmitAsync("/settings/email", Settings("not-an-address", "lots"));
        var refusedPage = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("data-testid=\"fromAddress-error\"", refusedPage);
        Assert.Contains("data-testid=\"frequencyCap-error\"", refusedPage);
        Assert.Null(await Setting(server, "email.from_address"));

        var saved = await maya.SubmitAsync("/settings/email", Settings("news@lumen.example", "3/7"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("news@lumen.example", await Setting(server, "email.from_address"));
        Assert.Equal("3/7", await Setting(server, "email.frequency_cap"));
        Assert.Equal("true", await Setting(server, "email.require_opt_in"));
        var page = await maya.GetPageAsync("/settings/email");
        Assert.Contains("value=\"news@lumen.example\"", page);
        Assert.Contains("An SMTP relay", page); // the test server has no relay, and the page says so
    }

    [Fact]
    public async Task A_rep_reads_the_email_settings_but_cannot_change_them()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var page = await riley.GetPageAsync("/settings/email");
        var post = await riley.SubmitAsync("/settings/email", Settings("news@lumen.example", "3/7"));

        Assert.Contains("<fieldset class=\"plain\" disabled=\"disabled\">", page);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Null(await Setting(server, "email.from_address"));
    }

    [Fact]
    public async Task A_rep_sets_their_signature_and_templates_put_it_under_emails_to_their_leads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        var created = await maya.SubmitAsync("/email/templates?handler=Save", new()
        {
            ["Name"] = "Check-in", ["Kind"] = "marketing", ["Subject"] = "Hello {{firstName}}", ["BodyMarkdown"] = "Hi {{firstName}},\n\n{{owner.signature}}",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var templatePage = created.Headers.Location!.OriginalString;
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var tooLong = await riley.SubmitAsync("/me?handler=Signature", new() { ["signature"] = new string('x', 1001) }, formPage: "/me");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains("data-testid=\"signature-error\"", await tooLong.Content.ReadAsStringAsync(ct));
        var saved = await riley.SubmitAsync("/me?handler=Signature", new() { ["signature"] = "Riley Quinn\r\nAccount Executive" }, formPage: "/me");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var stored = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT email_signature FROM users WHERE email = @email", new { email = Emails.Riley }), ct);
        Assert.Equal("Riley Quinn\nAccount Executive", stored);
        var preview = await riley.SubmitAsync($"{templatePage}&handler=Preview", new() { ["person"] = "rita@northwind.com" }, formPage: templatePage);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var html = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync(ct));
        Assert.Contains("Riley Quinn", html);
        Assert.Contains("Account Executive", html);
    }
}

public sealed class EmailSettingsPagesTestsOnSqlite() : EmailSettingsPagesTests(DatabaseProvider.Sqlite);

public sealed class EmailSettingsPagesTestsOnPostgres() : EmailSettingsPagesTests(DatabaseProvider.Postgres);
