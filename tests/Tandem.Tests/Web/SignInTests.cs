using System.Net;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

public abstract class SignInTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var browser = WebSession.Anonymous(server);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await browser.SubmitAsync("/signin", new() { ["Email"] = Emails.Riley, ["Password"] = "wrong-password" })).StatusCode);
        var right = await browser.SubmitAsync("/signin", new() { ["Email"] = Emails.Riley, ["Password"] = Password });

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.NotNull(await server.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long?>(c,
            "SELECT lockout_end FROM users WHERE normalized_email = @e", new { e = Emails.Riley.ToUpperInvariant() }), TestContext.Current.CancellationToken));
        Assert.Equal(Tandem.Server.Web.Pages.SignInModel.Failed, ErrorOf(await right.Content.ReadAsStringAsync(ct)));
    }

    [Fact]
    public async Task Every_failed_sign_in_gets_the_same_answer_so_the_form_reveals_no_account()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        await server.Database.WriteAsync((c, tx) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE users SET active = 0 WHERE id = @id",
            new { id = world.Users[Emails.Jordan] }, tx), ct);
        await server.Database.WriteAsync((c, tx) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE users SET lockout_end = @until WHERE id = @id",
            new { id = world.Users[Emails.Ana], until = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() }, tx), ct);
        using var browser = WebSession.Anonymous(server);

        var answers = new List<(HttpStatusCode, string?)>();
        foreach (var (email, password) in new[] { ("nobody@t.example", Password), (Emails.Riley, "wrong-password"), (Emails.Jordan, Password), (Emails.Ana, Password) })
        {
            var response = await browser.SubmitAsync("/signin", new() { ["Email"] = email, ["Password"] = password });
            answers.Add((response.StatusCode, ErrorOf(await response.Content.ReadAsStringAsync(ct))));
        }

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Unauthorized, Tandem.Server.Web.Pages.SignInModel.Failed), a));
    }

    private static string? ErrorOf(string page)
    {
        var match = System.Text.RegularExpressions.Regex.Match(page, "data-testid=\"signin-error\">([^<]*)<");
        return match.Success ? System.Net.WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [Fact]
    public async Task Pages_send_anonymous_visitors_to_sign_in_and_the_api_ignores_the_cookie()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var anonymous = WebSession.Anonymous(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var page = await anonymous.GetAsync("/people");
        var api = await riley.GetAsync("/api/v1/people");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task A_form_posted_without_the_antiforgery_token_is_refused()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var response = await riley.PostWithoutTokenAsync($"/people/{world.RileyLead}?handler=Log", new() { ["Type"] = "call" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_deactivated_user_is_signed_out_at_once_and_cannot_sign_in_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var deactivate = await admin.SubmitAsync("/admin/users?handler=Active",
            new() { ["id"] = world.Users[Emails.Riley].ToString(), ["active"] = "false" });
        var after = await riley.GetAsync("/people");
        using var again = WebSession.Anonymous(server);
        var signIn = await again.SubmitAsync("/signin", new() { ["Email"] = Emails.Riley, ["Password"] = Password });

        Assert.Equal(HttpStatusCode.Redirect, deactivate.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal(Tandem.Server.Web.Pages.SignInModel.Failed, ErrorOf(await signIn.Content.ReadAsStringAsync(ct)));
    }

    [Fact]
    public async Task Only_admins_reach_the_admin_pages()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var denied = await maya.GetAsync("/admin/keys");

        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/forbidden", denied.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/keys")).StatusCode);
    }
}

public sealed class SignInTestsOnSqlite() : SignInTests(DatabaseProvider.Sqlite);

public sealed class SignInTestsOnPostgres() : SignInTests(DatabaseProvider.Postgres);
