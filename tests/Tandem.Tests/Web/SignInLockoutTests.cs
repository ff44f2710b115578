using System.Net;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>Failed sign-ins are counted by the database, and a sign-in's write of the user never undoes an admin's change.</summary>
public abstract class SignInLockoutTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Parallel_wrong_passwords_lock_the_account_instead_of_each_counting_as_the_first()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        const int attempts = 24;
        var browsers = Enumerable.Range(0, attempts).Select(_ => WebSession.Anonymous(server)).ToList();
        // Every attempt holds its form (and antiforgery token) first, so the posts themselves arrive together.
        var tokens = await Task.WhenAll(browsers.Select(b => AntiforgeryTokenAsync(b, ct)));

        var answers = await Task.WhenAll(browsers.Zip(tokens, (b, token) => b.PostWithoutTokenAsync("/signin",
            new() { ["Email"] = Emails.Riley, ["Password"] = "wrong-password", ["__RequestVerificationToken"] = token })));
        using var late = WebSession.Anonymous(server);
        var right = await late.SubmitAsync("/signin", new() { ["Email"] = Emails.Riley, ["Password"] = Password });

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        var lockoutEnd = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long?>(
            "SELECT lockout_end FROM users WHERE normalized_email = @e", new { e = Emails.Riley.ToUpperInvariant() }), ct);
        Assert.NotNull(lockoutEnd);
        foreach (var b in browsers) b.Dispose();
    }

    [Fact]
    public async Task Two_failures_read_from_the_same_row_both_count()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var scope = server.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<UserRow>>();
        var first = (await users.FindByIdAsync(world.Users[Emails.Riley].ToString()))!;
        var second = (await users.FindByIdAsync(world.Users[Emails.Riley].ToString()))!;

        await users.AccessFailedAsync(first);
        await users.AccessFailedAsync(second);

        Assert.Equal(2, await ColumnAsync<long>(server, "access_failed_count", world.Users[Emails.Riley]));
    }

    [Fact]
    public async Task A_sign_in_that_read_the_user_before_an_admin_changed_them_cannot_undo_the_change()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        var riley = world.Users[Emails.Riley];
        using var scope = server.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<UserRow>>();
        var stale = (await users.FindByIdAsync(riley.ToString()))!;
        using (var admin = await WebSession.SignInAsync(server, Emails.Admin))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/admin/users?handler=Role",
                new() { ["id"] = riley.ToString(), ["role"] = Roles.SalesManager })).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/admin/users?handler=Active",
                new() { ["id"] = riley.ToString(), ["active"] = "false" })).StatusCode);
        }

        // The sign-in's own bookkeeping, written from what it read before the admin acted.
        await users.AccessFailedAsync(stale);
        await users.ResetAccessFailedCountAsync(stale);
        await users.UpdateAsync(stale);

        Assert.Equal(Roles.SalesManager, await ColumnAsync<string>(server, "role", riley));
        Assert.Equal(0, await ColumnAsync<long>(server, "active", riley));
    }

    [Fact]
    public async Task A_stale_change_to_a_column_someone_else_changed_is_refused_and_writes_nothing()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        var riley = world.Users[Emails.Riley];
        using var scope = server.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<UserRow>>();
        var stale = (await users.FindByIdAsync(riley.ToString()))!;
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE users SET role = 'marketing' WHERE id = @riley", new { riley }, tx),
            TestContext.Current.CancellationToken);

        stale.Role = Roles.Admin;
        var result = await users.UpdateAsync(stale);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure));
        Assert.Equal(Roles.Marketing, await ColumnAsync<string>(server, "role", riley));
    }

    private static async Task<T> ColumnAsync<T>(TandemServer server, string column, long id) =>
        (await server.Database.ReadAsync(c => c.ExecuteScalarAsync<T>($"SELECT {column} FROM users WHERE id = @id", new { id }),
            TestContext.Current.CancellationToken))!;

    private static async Task<string> AntiforgeryTokenAsync(WebSession browser, CancellationToken ct)
    {
        var page = await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync(ct);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        Assert.True(token.Success, "No antiforgery token on /signin");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }
}

public sealed class SignInLockoutTestsOnSqlite() : SignInLockoutTests(DatabaseProvider.Sqlite);

public sealed class SignInLockoutTestsOnPostgres() : SignInLockoutTests(DatabaseProvider.Postgres);
