using System.Net;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Email;

public abstract class UnsubscribeTests(DatabaseProvider provider)
{
    private static FormUrlEncodedContent OneClick() => new(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });

    [Fact]
    public async Task The_unsubscribe_page_names_the_address_and_the_company_and_its_button_unsubscribes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        using var browser = world.Browser();
        var path = ConsentWorld.PathOf(world.Links.UnsubscribeUrl(world.SendId));

        var page = await browser.GetAsync(path, ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Unsubscribe <strong>ada@example.com</strong> from all marketing email from <strong>ACME</strong>?", html);
        Assert.Contains("--brand: #c0392b", html);
        Assert.Contains(ConsentWorld.PathOf(world.Links.PreferencesUrl(world.PersonId)), html);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM email_suppressions"));

        var done = await browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__form"] = ConsentWorld.FormToken(html) }), ct);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("You are unsubscribed", await done.Content.ReadAsStringAsync(ct));

        Assert.Equal("unsubscribe page", await world.ScalarAsync<string>(
            "SELECT source FROM email_suppressions WHERE address = 'ada@example.com' AND reason = 'unsubscribed' AND lifted_at IS NULL"));
        Assert.Equal("opted_out", await world.ScalarAsync<string>("SELECT status FROM email_consents WHERE person_id = @PersonId", new { world.PersonId }));
        Assert.Equal("127.0.0.1", await world.ScalarAsync<string>(
            "SELECT ip FROM email_consent_log WHERE person_id = @PersonId AND action = 'opted_out'", new { world.PersonId }));
        Assert.NotNull(await world.ScalarAsync<long?>("SELECT unsubscribed_at FROM email_sends WHERE id = @SendId", new { world.SendId }));
        var person = await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}");
        Assert.True(person.GetProperty("consent").GetProperty("unsubscribed").GetBoolean());
        var activity = (await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}/timeline?type=email_unsubscribed")).GetProperty("items")[0];
        Assert.Equal(world.SendId, activity.GetProperty("properties").GetProperty("sendId").GetInt64());
        Assert.Equal(7, activity.GetProperty("properties").GetProperty("programId").GetInt64());
        Assert.Equal("welcome-1", activity.GetProperty("properties").GetProperty("stepKey").GetString());
    }

    [Fact]
    public async Task One_click_from_a_mail_client_without_cookies_unsubscribes_once_however_often_it_is_sent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        using var mailClient = world.Browser();
        var path = ConsentWorld.PathOf(world.Links.UnsubscribeUrl(world.SendId));

        var first = await mailClient.PostAsync(path, OneClick(), ct);
        var second = await mailClient.PostAsync(path, OneClick(), ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(first.Headers.Contains("Set-Cookie"));
        Assert.Equal("one-click unsubscribe", await world.ScalarAsync<string>("SELECT source FROM email_suppressions WHERE reason = 'unsubscribed'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM email_suppressions"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM email_consent_log WHERE action = 'opted_out'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM activities WHERE type = 'email_unsubscribed'"));
        // The unsubscribe scores as the model's unsubscribe event.
        var score = await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}/score");
        Assert.Contains(score.GetProperty("engagement").GetProperty("awards").EnumerateArray(),
            a => a.GetProperty("ruleId").GetString() == "neg-unsubscribe-event");
    }

    [Fact]
    public async Task A_forged_or_altered_link_gets_a_400_page_in_words_and_records_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        using var browser = world.Browser();
        var genuine = world.Links.UnsubscribeUrl(world.SendId);
        var token = genuine[(genuine.LastIndexOf('/') + 1)..];
        var otherSend = token.Replace($"{world.SendId}.", $"{world.SendId + 1}.");
        var alteredSignature = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        var preferencesToken = world.Links.PreferencesUrl(world.PersonId).Split('/').Last();

        foreach (var bad in new[] { otherSend, alteredSignature, preferencesToken, "nonsense", $"{world.SendId}." })
        {
            var get = await browser.GetAsync($"/e/u/{bad}", ct);
            Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
            Assert.Null(get.Headers.Location);
            var html = await get.Content.ReadAsStringAsync(ct);
            Assert.Contains("This link does not work", html);
            Assert.DoesNotContain("ada@example.com", html);
            var post = await browser.PostAsync($"/e/u/{bad}", OneClick(), ct);
            Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        }
        // A browser POST without the page's form token is refused too.
        var forged = await browser.PostAsync(ConsentWorld.PathOf(genuine), new FormUrlEncodedContent(new Dictionary<string, string> { ["__form"] = "1.abc" }), ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM email_suppressions"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM email_consent_log"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM activities WHERE type LIKE 'email_%'"));
        var person = await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}");
        Assert.False(person.GetProperty("consent").GetProperty("unsubscribed").GetBoolean());
    }
}

public sealed class UnsubscribeTestsOnSqlite() : UnsubscribeTests(DatabaseProvider.Sqlite);

public sealed class UnsubscribeTestsOnPostgres() : UnsubscribeTests(DatabaseProvider.Postgres);
