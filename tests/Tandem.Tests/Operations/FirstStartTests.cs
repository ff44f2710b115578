using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Demo;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Operations;

/// <summary>
/// A workspace started with `serve` and nobody in it: the server prints a one-time link that creates the first admin in
/// the browser. A demo database says it is the demo at start and on every page; a served workspace has none of the demo's secrets.
/// </summary>
public abstract partial class FirstStartTests(DatabaseProvider provider)
{
    private const string AdminPassword = "first-admin-passphrase";

    private static async Task<string> SetupLinkAsync(LogCapture log) =>
        (await Poll.UntilAsync(() => Task.FromResult(log.Lines.Select(l => LinkPattern().Match(l)).FirstOrDefault(m => m.Success)),
            m => m is not null, "the server logs the first-admin setup link"))!.Groups[1].Value;

    [Fact]
    public async Task The_logged_setup_link_creates_the_first_admin_once_and_keeps_only_a_hash_of_its_token()
    {
        var ct = TestContext.Current.CancellationToken;
        var log = new LogCapture();
        await using var server = await TandemServer.StartAsync(provider, services: log.AddTo);
        var link = await SetupLinkAsync(log);
        var token = link.Split("token=")[1];
        using var browser = WebSession.Anonymous(server);

        var stored = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT value FROM workspace_settings WHERE key = @key", new { key = FirstAdminSetup.SettingKey }), TestContext.Current.CancellationToken);
        var form = await browser.GetAsync(new Uri(link).PathAndQuery);
        var wrong = await browser.GetAsync("/setup?token=not-the-token");
        var created = await browser.SubmitAsync("/setup", new() { ["Token"] = token, ["Email"] = "owner@acme.example", ["Name"] = "Olive Owner", ["Password"] = AdminPassword },
            formPage: new Uri(link).PathAndQuery);
        var home = await browser.GetAsync("/");
        using var other = WebSession.Anonymous(server);
        var again = await other.SubmitAsync("/setup", new() { ["Token"] = token, ["Email"] = "intruder@evil.example", ["Password"] = AdminPassword }, formPage: "/signin");
        var reuse = await other.GetAsync(new Uri(link).PathAndQuery);

        Assert.DoesNotContain(token, stored);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.True(home.StatusCode == HttpStatusCode.OK, $"GET / answered {(int)home.StatusCode}: {string.Join("\n", log.Lines.Where(l => l.StartsWith("Error")))}");
        Assert.Contains("Olive Owner", await home.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reuse.StatusCode);
        var users = await server.Database.ReadAsync(c => c.QueryAsync<(string Email, string Role)>("SELECT email, role FROM users"), TestContext.Current.CancellationToken);
        Assert.Equal([("owner@acme.example", Roles.Admin)], users.ToList());
        using var signedIn = await WebSession.SignInAsync(server, "owner@acme.example", AdminPassword);
    }

    [Fact]
    public async Task The_setup_link_expires_and_is_not_issued_once_anyone_can_sign_in()
    {
        var clock = new ManualClock();
        var log = new LogCapture();
        await using var server = await TandemServer.StartAsync(provider, clock, services: log.AddTo);
        var link = new Uri(await SetupLinkAsync(log)).PathAndQuery;
        using var browser = WebSession.Anonymous(server);

        var fresh = await browser.GetAsync(link);
        clock.Advance(FirstAdminSetup.Lifetime + TimeSpan.FromMinutes(1));
        var expired = await browser.GetAsync(link);
        var post = await browser.SubmitAsync("/setup", new() { ["Token"] = link.Split("token=")[1], ["Email"] = "late@acme.example", ["Password"] = AdminPassword },
            formPage: "/signin");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"), TestContext.Current.CancellationToken));

        await server.Services.GetRequiredService<UserStore>().EnsureAsync("someone@acme.example", "Someone", Roles.Admin, AdminPassword, TestContext.Current.CancellationToken);
        var restartLog = new LogCapture();
        await using var restarted = await TandemServer.StartAsync(provider, clock, connectionString: server.ConnectionString, services: restartLog.AddTo);
        await Poll.UntilAsync(() => restarted.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM workspace_settings WHERE key = @key", new { key = FirstAdminSetup.SettingKey })), n => n == 0, "the old link is withdrawn");
        Assert.DoesNotContain(restartLog.Lines, l => l.Contains("/setup?token="));
    }

    [Fact]
    public async Task A_demo_database_says_so_at_start_and_on_every_page_even_when_served_and_a_served_workspace_has_no_demo_secrets()
    {
        var ct = TestContext.Current.CancellationToken;
        var log = new LogCapture();
        await using (var demo = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Tandem:Demo"] = "true", ["Tandem:DemoPeople"] = "40" },
                         services: log.AddTo))
        {
            var servedLog = new LogCapture();
            await using var served = await TandemServer.StartAsync(provider, connectionString: demo.ConnectionString, services: servedLog.AddTo);
            using var anonymous = WebSession.Anonymous(served);
            using var admin = await WebSession.SignInAsync(served, DemoUsers.All[0].Email, DemoUsers.Password);

            Assert.Contains(log.Lines, l => l.Contains("DEMO workspace"));
            Assert.Contains(servedLog.Lines, l => l.Contains("DEMO workspace"));
            Assert.Contains("data-testid=\"demo-banner\"", await anonymous.GetPageAsync("/signin"));
            Assert.Contains("data-testid=\"demo-banner\"", await admin.GetPageAsync("/people"));
            Assert.Contains("data-testid=\"demo-banner\"", await admin.GetPageAsync("/admin/users"));
            Assert.DoesNotContain(servedLog.Lines, l => l.Contains("/setup?token="));
        }

        var freshLog = new LogCapture();
        await using var fresh = await TandemServer.StartAsync(provider, services: freshLog.AddTo);
        using var visitor = WebSession.Anonymous(fresh);
        await SetupLinkAsync(freshLog);

        Assert.DoesNotContain("demo-banner", await visitor.GetPageAsync("/signin"));
        Assert.DoesNotContain(freshLog.Lines, l => l.Contains("DEMO workspace"));
        Assert.Equal(0, await fresh.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"), TestContext.Current.CancellationToken));
        Assert.Equal(0, await fresh.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys"), TestContext.Current.CancellationToken));
        Assert.Equal(0, await fresh.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM workspace_settings WHERE key = @key", new { key = DemoWorkspace.SeededSetting }), TestContext.Current.CancellationToken));
        Assert.False(File.Exists(Path.Combine(fresh.DataDir, DemoWorkspace.KeyFile)));
        using var demoSignIn = WebSession.Anonymous(fresh);
        var refused = await demoSignIn.SubmitAsync("/signin", new() { ["Email"] = DemoUsers.All[0].Email, ["Password"] = DemoUsers.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        _ = ct;
    }

    [GeneratedRegex(@"(http://\S+/setup\?token=[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}

public sealed class FirstStartTestsOnSqlite() : FirstStartTests(DatabaseProvider.Sqlite);

public sealed class FirstStartTestsOnPostgres() : FirstStartTests(DatabaseProvider.Postgres);
