using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Email;

public abstract class FormConsentTests(DatabaseProvider provider)
{
    private static async Task<string> CreateFormAsync(HttpClient api, object form)
    {
        var response = await api.PostAsJsonAsync("/api/v1/forms", form, TestContext.Current.CancellationToken);
        await response.EnsureSuccessWithBodyAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("action").GetString()!;
    }

    private static async Task SubmitAsync(ConsentWorld world, string action, Dictionary<string, string> fields)
    {
        using var browser = world.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
        var response = await browser.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.SeeOther, $"{response.StatusCode}");
    }

    [Fact]
    public async Task A_ticked_consent_box_records_the_basis_with_the_form_page_ip_and_browser()
    {
        await using var world = await ConsentWorld.StartAsync(provider);
        var action = await CreateFormAsync(world.Api, new { name = "Newsletter" });

        await SubmitAsync(world, action, new() { ["email"] = "bo@example.com", ["consent"] = "on", ["page_url"] = "https://acme.example/newsletter" });
        await SubmitAsync(world, action, new() { ["email"] = "cy@example.com" });

        var bo = await world.ScalarAsync<long>("SELECT id FROM people WHERE email = 'bo@example.com'");
        var document = await world.Api.GetJsonAsync($"/api/v1/people/{bo}/consent");
        var current = document.GetProperty("current");
        Assert.Equal("opted_in", current.GetProperty("status").GetString());
        Assert.Equal("consent", current.GetProperty("basis").GetString());
        Assert.Equal("form Newsletter", current.GetProperty("source").GetString());
        Assert.Equal("Newsletter", current.GetProperty("form").GetString());
        Assert.Equal("https://acme.example/newsletter", current.GetProperty("pageUrl").GetString());
        Assert.Equal("127.0.0.1", current.GetProperty("ip").GetString());
        Assert.Contains("Firefox/140.0", current.GetProperty("userAgent").GetString());
        Assert.Equal("opted_in", document.GetProperty("log")[0].GetProperty("action").GetString());
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM email_consents c JOIN people p ON p.id = c.person_id WHERE p.email = 'cy@example.com'"));
    }

    [Fact]
    public async Task When_opt_in_is_required_consent_waits_for_the_confirmation_link()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        await world.Db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES ('email.require_opt_in', 'true')", transaction: tx), ct);
        var action = await CreateFormAsync(world.Api, new { name = "Guide download", consentField = "gdpr_ok" });

        await SubmitAsync(world, action, new() { ["email"] = "di@example.com", ["gdpr_ok"] = "yes" });

        var di = await world.ScalarAsync<long>("SELECT id FROM people WHERE email = 'di@example.com'");
        Assert.Equal("pending", await world.ScalarAsync<string>("SELECT status FROM email_consents WHERE person_id = @di", new { di }));
        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            await world.ScalarAsync<long?>("SELECT requested_at FROM email_consents WHERE person_id = @di", new { di }));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM email_consent_log WHERE person_id = @di AND action = 'confirm_requested'", new { di }));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM people WHERE custom_fields LIKE '%gdpr_ok%'"));

        using var browser = world.Browser();
        var confirmed = await browser.GetAsync(ConsentWorld.PathOf(world.Links.ConfirmUrl(di)), ct);
        Assert.Contains("You're subscribed", await confirmed.Content.ReadAsStringAsync(ct));
        Assert.Equal("opted_in", await world.ScalarAsync<string>("SELECT status FROM email_consents WHERE person_id = @di", new { di }));
    }

    [Fact]
    public async Task A_forms_confirmation_must_be_an_existing_transactional_template()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        await world.Db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO email_templates (name, kind, subject, body_markdown, created_at, updated_at) VALUES ('promo', 'marketing', 'Sale', 'Buy', 1, 1)",
            transaction: tx), ct);

        var marketing = await world.Api.PostAsJsonAsync("/api/v1/forms", new { name = "Demo", confirmationTemplate = "promo" }, ct);
        var unknown = await world.Api.PostAsJsonAsync("/api/v1/forms", new { name = "Demo", confirmationTemplate = "nope" }, ct);
        var builtIn = await world.Api.PostAsJsonAsync("/api/v1/forms", new { name = "Demo", confirmationTemplate = "double-opt-in" }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, marketing.StatusCode);
        Assert.Contains("transactional", (await marketing.ProblemAsync()).GetProperty("errors").GetProperty("confirmationTemplate")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        await builtIn.EnsureSuccessWithBodyAsync();
    }
}

public sealed class FormConsentTestsOnSqlite() : FormConsentTests(DatabaseProvider.Sqlite);

public sealed class FormConsentTestsOnPostgres() : FormConsentTests(DatabaseProvider.Postgres);
