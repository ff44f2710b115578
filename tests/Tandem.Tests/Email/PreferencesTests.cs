using System.Net;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Email;

public abstract class PreferencesTests(DatabaseProvider provider)
{
    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string path, string action, params string[] topics)
    {
        var page = await (await browser.GetAsync(path, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var fields = new List<KeyValuePair<string, string>> { new("__form", ConsentWorld.FormToken(page)), new("action", action) };
        fields.AddRange(topics.Select(t => new KeyValuePair<string, string>("topic", t)));
        return await browser.PostAsync(path, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Unticking_a_topic_leaves_only_that_topic_and_logs_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        using var browser = world.Browser();
        var path = ConsentWorld.PathOf(world.Links.PreferencesUrl(world.PersonId));
        var page = await (await browser.GetAsync(path, ct)).Content.ReadAsStringAsync(ct);
        Assert.Contains("For <strong>ada@example.com</strong>", page);
        Assert.Contains("Events and webinars", page);

        var saved = await SubmitAsync(browser, path, "save", "newsletter", "events");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Your preferences are saved.", await saved.Content.ReadAsStringAsync(ct));
        Assert.Equal(["product"], (await world.Db.ReadAsync(c => c.QueryAsync<string>("SELECT topic FROM email_topic_optouts WHERE person_id = @PersonId",
            new { world.PersonId }), ct)).ToList());
        Assert.Equal("product", await world.ScalarAsync<string>("SELECT topic FROM email_consent_log WHERE action = 'topic_opted_out'"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM email_suppressions"));

        await SubmitAsync(browser, path, "save", "newsletter", "events", "product");
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM email_topic_optouts"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM email_consent_log WHERE action = 'topic_opted_in' AND topic = 'product'"));
    }

    [Fact]
    public async Task Subscribing_again_lifts_only_the_unsubscribe_and_is_logged_while_a_hard_bounce_stays()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        using var browser = world.Browser();
        await browser.PostAsync(ConsentWorld.PathOf(world.Links.UnsubscribeUrl(world.SendId)),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), ct);
        await world.Db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO email_suppressions (address, reason, source, person_id, created_at) VALUES ('ada@example.com', 'hard_bounce', 'SMTP 550 5.1.1', @PersonId, 1)",
            new { world.PersonId }, tx), ct);
        var path = ConsentWorld.PathOf(world.Links.PreferencesUrl(world.PersonId));
        var page = await (await browser.GetAsync(path, ct)).Content.ReadAsStringAsync(ct);
        Assert.Contains("Subscribe me again", page);
        Assert.Contains("bounced or was reported as unwanted", page);

        var again = await SubmitAsync(browser, path, "resubscribe");

        Assert.Contains("You are subscribed again.", await again.Content.ReadAsStringAsync(ct));
        var unsubscribe = await world.Db.ReadAsync(c => c.QuerySingleAsync<(long? LiftedAt, string? LiftedReason)>(
            "SELECT lifted_at, lifted_reason FROM email_suppressions WHERE reason = 'unsubscribed'"), ct);
        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeMilliseconds(), unsubscribe.LiftedAt);
        Assert.Contains("preference page", unsubscribe.LiftedReason);
        Assert.Contains("127.0.0.1", unsubscribe.LiftedReason);
        Assert.Null(await world.ScalarAsync<long?>("SELECT lifted_at FROM email_suppressions WHERE reason = 'hard_bounce'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM email_consent_log WHERE action = 'resubscribed' AND ip = '127.0.0.1'"));
        Assert.Equal("opted_in", await world.ScalarAsync<string>("SELECT status FROM email_consents WHERE person_id = @PersonId", new { world.PersonId }));
        var person = await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}");
        Assert.False(person.GetProperty("consent").GetProperty("unsubscribed").GetBoolean());
    }

    [Fact]
    public async Task The_confirmation_link_turns_a_pending_opt_in_into_opted_in_and_keeps_the_forms_proof()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        await world.Db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO email_consents (person_id, status, basis, source, form, page_url, ip, user_agent, requested_at, updated_at) " +
            "VALUES (@PersonId, 'pending', 'consent', 'form newsletter', 'newsletter', 'https://acme.example/news', '203.0.113.9', 'Firefox', 5, 5)",
            new { world.PersonId }, tx), ct);
        using var browser = world.Browser();
        world.Clock.Advance(TimeSpan.FromHours(2));

        var page = await browser.GetAsync(ConsentWorld.PathOf(world.Links.ConfirmUrl(world.PersonId)), ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("You're subscribed", await page.Content.ReadAsStringAsync(ct));
        var consent = await world.Db.ReadAsync(c => c.QuerySingleAsync<(string Status, long? ConfirmedAt, string Ip, string Form)>(
            "SELECT status, confirmed_at, ip, form FROM email_consents WHERE person_id = @PersonId", new { world.PersonId }), ct);
        Assert.Equal(("opted_in", world.Clock.GetUtcNow().ToUnixTimeMilliseconds(), "203.0.113.9", "newsletter"), consent);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM email_consent_log WHERE action = 'confirmed' AND ip = '127.0.0.1'"));
        var forged = await browser.GetAsync(ConsentWorld.PathOf(world.Links.ConfirmUrl(world.PersonId + 1)).Replace($"/{world.PersonId + 1}.", $"/{world.PersonId}."), ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}

public sealed class PreferencesTestsOnSqlite() : PreferencesTests(DatabaseProvider.Sqlite);

public sealed class PreferencesTestsOnPostgres() : PreferencesTests(DatabaseProvider.Postgres);
