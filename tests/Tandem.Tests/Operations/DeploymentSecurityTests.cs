using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Operations;

/// <summary>
/// Sign-in cookies and form tokens are signed with keys kept in the database: a second server on the same database —
/// another process with a home folder of its own, as on another machine — accepts what the first issued.
/// </summary>
public abstract partial class SharedKeyRingTests(DatabaseProvider provider)
{
    private const string Email = "ops@keys.example", Password = "a-long-passphrase-1";

    [Fact]
    public async Task A_sign_in_cookie_and_form_token_issued_by_one_server_are_accepted_by_another_on_the_same_database()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var first = await TandemServer.StartAsync(provider);
        await first.Services.GetRequiredService<UserStore>().EnsureAsync(Email, "Ops", Roles.Admin, Password, ct);

        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(first.BaseUrl) };
        var form = await browser.GetAsync("/signin", ct);
        var csrfCookie = Cookie(form, "tandem.csrf");
        var token = WebUtility.HtmlDecode(TokenPattern().Match(await form.Content.ReadAsStringAsync(ct)).Groups[1].Value);
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = Email, ["Password"] = Password, ["__RequestVerificationToken"] = token }),
        };
        signIn.Headers.Add("Cookie", csrfCookie);
        var signedIn = await browser.SendAsync(signIn, ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Cookie(signedIn, "tandem.session");

        var port = FreePort();
        using var second = StartServerProcess(first.ConnectionString, port);
        try
        {
            using var other = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Poll.UntilAsync(async () =>
            {
                try { return (await other.GetAsync("/health/ready", ct)).StatusCode == HttpStatusCode.OK; }
                catch (HttpRequestException) { return false; }
            }, "the second server is ready");

            using var me = new HttpRequestMessage(HttpMethod.Get, "/me");
            me.Headers.Add("Cookie", session);
            var page = await other.SendAsync(me, ct);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"the second server answered {(int)page.StatusCode} {page.Headers.Location} to the first server's session cookie");

            // A form token from the first server passes the second's antiforgery check: the wrong password is what fails (401), not the token (400).
            using var forged = new HttpRequestMessage(HttpMethod.Post, "/signin")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = Email, ["Password"] = "not-the-password-1", ["__RequestVerificationToken"] = token }),
            };
            forged.Headers.Add("Cookie", csrfCookie);
            Assert.Equal(HttpStatusCode.Unauthorized, (await other.SendAsync(forged, ct)).StatusCode);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync(ct);
        }
        Assert.True(await first.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys"), ct) > 0);
    }

    private Process StartServerProcess(string connectionString, int port)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tandem.dll"), "serve", "--urls", $"http://127.0.0.1:{port}",
            "--data-dir", TempFolder.Create("second-server")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Tandem__Database__Provider"] = provider.ToString();
        start.Environment["Tandem__Database__ConnectionString"] = connectionString;
        // Another home folder: ASP.NET Core's default key store (~/.aspnet/DataProtection-Keys) is not shared with the first server.
        start.Environment["HOME"] = TempFolder.Create("second-server-home");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static string Cookie(HttpResponseMessage response, string name)
    {
        var header = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(name + "=", StringComparison.Ordinal));
        return header.Split(';')[0];
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    internal static partial Regex TokenPattern();
}

public sealed class SharedKeyRingTestsOnSqlite() : SharedKeyRingTests(DatabaseProvider.Sqlite);

public sealed class SharedKeyRingTestsOnPostgres() : SharedKeyRingTests(DatabaseProvider.Postgres);

/// <summary>Behind a TLS proxy: X-Forwarded-Proto and X-Forwarded-For count only from a configured proxy.</summary>
public sealed class BehindAProxyTests
{
    private const string Email = "ops@proxy.example", Password = "a-long-passphrase-1";

    private static async Task<(HttpResponseMessage Form, HttpResponseMessage SignIn, string? Ip)> SignInThroughProxyAsync(TandemServer server)
    {
        var ct = TestContext.Current.CancellationToken;
        await server.Services.GetRequiredService<UserStore>().EnsureAsync(Email, "Ops", Roles.Admin, Password, ct);
        using var proxy = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
        void Forwarded(HttpRequestMessage r)
        {
            r.Headers.Host = "tandem.example.com";
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-For", "203.0.113.9");
        }
        using var get = new HttpRequestMessage(HttpMethod.Get, "/signin");
        Forwarded(get);
        var form = await proxy.SendAsync(get, ct);
        var token = WebUtility.HtmlDecode(SharedKeyRingTests.TokenPattern().Match(await form.Content.ReadAsStringAsync(ct)).Groups[1].Value);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = Email, ["Password"] = Password, ["__RequestVerificationToken"] = token }),
        };
        Forwarded(post);
        post.Headers.Add("Cookie", SharedKeyRingTests.Cookie(form, "tandem.csrf"));
        var signIn = await proxy.SendAsync(post, ct);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var ip = await server.Database.ReadAsync(c => c.QuerySingleAsync<string?>(
            "SELECT ip FROM audit_log WHERE action = 'signin.succeeded' ORDER BY id DESC LIMIT 1"), ct);
        return (form, signIn, ip);
    }

    private static string SetCookie(HttpResponseMessage r, string name) =>
        r.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    [Fact]
    public async Task Https_forwarded_by_a_known_proxy_makes_cookies_secure_sends_hsts_and_records_the_clients_address()
    {
        await using var server = await TandemServer.StartAsync(settings: new Dictionary<string, string?> { ["Tandem:Proxy:KnownProxies:0"] = "127.0.0.1" });

        var (form, signIn, ip) = await SignInThroughProxyAsync(server);

        Assert.Contains("secure", SetCookie(form, "tandem.csrf"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", SetCookie(signIn, "tandem.session"), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", form.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("203.0.113.9", ip);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_proxy_are_ignored()
    {
        await using var server = await TandemServer.StartAsync(settings: new Dictionary<string, string?> { ["Tandem:Proxy:KnownProxies:0"] = "10.9.8.7" });

        var (form, signIn, ip) = await SignInThroughProxyAsync(server);

        Assert.DoesNotContain("secure", SetCookie(form, "tandem.csrf"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", SetCookie(signIn, "tandem.session"), StringComparison.OrdinalIgnoreCase);
        Assert.False(form.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("127.0.0.1", ip);
    }
}
