using System.Net;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Email;

public abstract class TrackingTests(DatabaseProvider provider)
{
    private const string Browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)";

    private static async Task<HttpResponseMessage> FetchPixelAsync(HttpClient client, string path, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<int> EngagementAsync(ConsentWorld world) =>
        (await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}")).GetProperty("score").GetProperty("engagement").GetInt32();

    private static async Task<bool> HasAwardAsync(ConsentWorld world, string ruleId) =>
        (await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}/score")).GetProperty("engagement").GetProperty("awards").EnumerateArray()
        .Any(a => a.GetProperty("ruleId").GetString() == ruleId);

    [Fact]
    public async Task An_open_within_the_prefetch_window_or_from_a_proxy_is_a_prefetch_and_only_a_later_open_scores()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        using var mailbox = world.Browser();
        var pixel = ConsentWorld.PathOf(world.Links.OpenPixelUrl(world.SendId));
        var before = await EngagementAsync(world);

        world.Clock.Advance(TimeSpan.FromSeconds(3));
        var prefetch = await FetchPixelAsync(mailbox, pixel, Browser);
        world.Clock.Advance(TimeSpan.FromMinutes(30));
        await FetchPixelAsync(mailbox, pixel, "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)");
        await FetchPixelAsync(mailbox, pixel, "Mozilla/5.0");

        Assert.Equal(HttpStatusCode.OK, prefetch.StatusCode);
        Assert.Equal("image/gif", prefetch.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", prefetch.Headers.CacheControl?.ToString());
        var gif = await prefetch.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal("GIF89a"u8.ToArray(), gif[..6]);
        Assert.Equal(3, await world.CountAsync("SELECT COUNT(*) FROM activities WHERE type = 'email_prefetched'"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM activities WHERE type = 'email_opened'"));
        Assert.Equal(0, await world.CountAsync("SELECT opens FROM email_sends WHERE id = @SendId", new { world.SendId }));
        Assert.Equal(before, await EngagementAsync(world));
        Assert.False(await HasAwardAsync(world, "email-open"));

        await FetchPixelAsync(mailbox, pixel, Browser);

        Assert.Equal(1, await world.CountAsync("SELECT opens FROM email_sends WHERE id = @SendId", new { world.SendId }));
        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            await world.ScalarAsync<long?>("SELECT first_opened_at FROM email_sends WHERE id = @SendId", new { world.SendId }));
        var open = (await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}/timeline?type=email_opened")).GetProperty("items")[0].GetProperty("properties");
        Assert.Equal(world.SendId, open.GetProperty("sendId").GetInt64());
        Assert.Equal("welcome-1", open.GetProperty("stepKey").GetString());
        Assert.Equal(JsonValueKind.Number, open.GetProperty("templateId").ValueKind);
        Assert.True(await HasAwardAsync(world, "email-open"));
        Assert.True(await EngagementAsync(world) > before);
    }

    [Fact]
    public async Task A_bad_pixel_token_still_gets_the_image_and_records_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        using var mailbox = world.Browser();
        world.Clock.Advance(TimeSpan.FromHours(1));
        var forged = ConsentWorld.PathOf(world.Links.OpenPixelUrl(world.SendId)).Replace($"/{world.SendId}.", $"/{world.SendId + 1}.");

        var response = await FetchPixelAsync(mailbox, forged, Browser);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/gif", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("GIF89a"u8.ToArray(), (await response.Content.ReadAsByteArrayAsync(ct))[..6]);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM activities WHERE type LIKE 'email_%'"));
    }

    [Fact]
    public async Task A_click_goes_to_exactly_the_signed_address_and_an_altered_address_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        using var browser = world.Browser();
        const string target = "https://acme.example/pricing?plan=team&utm_source=email#compare";
        var click = ConsentWorld.PathOf(world.Links.ClickUrl(world.SendId, target));

        var response = await browser.GetAsync(click, ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(target, response.Headers.Location!.OriginalString);
        Assert.Equal(1, await world.CountAsync("SELECT clicks FROM email_sends WHERE id = @SendId", new { world.SendId }));
        var clicked = (await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}/timeline?type=email_clicked")).GetProperty("items")[0];
        Assert.Equal(target, clicked.GetProperty("properties").GetProperty("link").GetString());
        Assert.True(await HasAwardAsync(world, "email-click"));

        var elsewhere = click.Replace(Uri.EscapeDataString(target), Uri.EscapeDataString("https://evil.example/"));
        var altered = await browser.GetAsync(elsewhere, ct);
        Assert.Equal(HttpStatusCode.BadRequest, altered.StatusCode);
        Assert.Null(altered.Headers.Location);
        var script = await browser.GetAsync(ConsentWorld.PathOf(world.Links.ClickUrl(world.SendId, "javascript:alert(1)")), ct);
        Assert.Equal(HttpStatusCode.BadRequest, script.StatusCode);
        Assert.Equal(1, await world.CountAsync("SELECT clicks FROM email_sends WHERE id = @SendId", new { world.SendId }));
    }
}

public sealed class TrackingTestsOnSqlite() : TrackingTests(DatabaseProvider.Sqlite);

public sealed class TrackingTestsOnPostgres() : TrackingTests(DatabaseProvider.Postgres);
