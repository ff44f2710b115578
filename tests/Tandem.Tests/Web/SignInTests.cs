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
            Assert.Equal(i < 4 ? HttpStatusCode.Unauthorized : (HttpStatusCode)423,
                (await browser.SubmitAsync("/signin", new() { ["Email"] = Emails.Riley, ["Password"] = "wrong-password" })).StatusCode);
        var right = await browser.SubmitAsync("/signin", new() { ["Email"] = Emails.Riley, ["Password"] = Password });

        Assert.Equal((HttpStatusCode)423, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(ct));
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
        Assert.Contains("deactivated", await signIn.Content.ReadAsStringAsync(ct));
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

[Collection(SerialWebTests.Name)]
public sealed class SignInTestsOnSqlite() : SignInTests(DatabaseProvider.Sqlite);

[Collection(SerialWebTests.Name)]
public sealed class SignInTestsOnPostgres() : SignInTests(DatabaseProvider.Postgres);
