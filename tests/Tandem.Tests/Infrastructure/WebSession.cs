using System.Net;
using System.Text.RegularExpressions;

namespace Tandem.Tests.Infrastructure;

/// <summary>A signed-in browser session over plain HTTP: keeps cookies and sends each form's antiforgery token, as a browser would.</summary>
public sealed partial class WebSession : IDisposable
{
    private readonly HttpClient http;

    private WebSession(string baseUrl)
    {
        http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    }

    public static WebSession Anonymous(TandemServer server) => new(server.BaseUrl);

    public static async Task<WebSession> SignInAsync(TandemServer server, string email, string password = WebWorld.Password)
    {
        var session = new WebSession(server.BaseUrl);
        var response = await session.SubmitAsync("/signin", new() { ["Email"] = email, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
            Assert.Fail($"Signing in as {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return session;
    }

    public Task<HttpResponseMessage> GetAsync(string url) => http.GetAsync(url);

    public async Task<string> GetPageAsync(string url)
    {
        var response = await http.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Loads the page holding the form (for its antiforgery token), then posts the fields to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string action, Dictionary<string, string> fields, string? formPage = null,
        IEnumerable<KeyValuePair<string, string>>? repeated = null)
    {
        var page = await http.GetAsync(formPage ?? action.Split('?')[0]);
        var token = TokenPattern().Match(await page.Content.ReadAsStringAsync());
        Assert.True(token.Success, $"No antiforgery token on {formPage ?? action}");
        var body = fields.ToList();
        body.AddRange(repeated ?? []);
        body.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        return await http.PostAsync(action, new FormUrlEncodedContent(body));
    }

    /// <summary>Posts without any antiforgery token, as a forged cross-site form would.</summary>
    public Task<HttpResponseMessage> PostWithoutTokenAsync(string action, Dictionary<string, string> fields) =>
        http.PostAsync(action, new FormUrlEncodedContent(fields));

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
