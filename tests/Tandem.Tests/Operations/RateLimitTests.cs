using System.Net;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Operations;

/// <summary>Sign-in attempts beyond the limit from one address get 429 with Retry-After and a problem document, before any password is checked.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Sign_in_attempts_over_the_limit_get_429_with_retry_after_and_a_problem_document()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Tandem:RateLimits:SignInPerMinute"] = "2",
            ["Tandem:RateLimits:PublicFormsPerMinute"] = "100",
        });
        using var browser = WebSession.Anonymous(server);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
            answers.Add(await browser.SubmitAsync("/signin", new() { ["Email"] = "guess@t.example", ["Password"] = $"guess-number-{i}" }));
        var page = await browser.GetAsync("/signin");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode).ToList());
        var limited = answers[^1];
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(429, (await limited.ProblemAsync()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        _ = ct;
    }
}
