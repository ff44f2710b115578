using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Email;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Notifications;

namespace Tandem.Tests.Email;

/// <summary>The consent paths that end in an email: queued in the transaction of what asked for it, with its signed link.</summary>
public abstract class ConsentEmailTests(DatabaseProvider provider)
{
    private readonly ManualClock clock = new();

    private async Task<(TandemServer Server, HttpClient Api)> StartAsync(SmtpSink? sink = null)
    {
        var server = await TandemServer.StartAsync(provider, clock, sink is null
            ? new Dictionary<string, string?> { ["Tandem:Email:SenderEnabled"] = "false", ["Tandem:Email:PublicUrl"] = "https://go.lumen.io" }
            : EmailSenderTests.Relay(sink));
        await server.ConfigureAsync();
        return (server, await server.AdminClientAsync());
    }

    private static async Task<string> CreateFormAsync(HttpClient api, object form)
    {
        var response = await api.PostAsJsonAsync("/api/v1/forms", form, TestContext.Current.CancellationToken);
        await response.EnsureSuccessWithBodyAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("action").GetString()!;
    }

    private static async Task SubmitAsync(TandemServer server, string action, Dictionary<string, string> fields)
    {
        using var browser = server.Client(followRedirects: false);
        (await browser.PostAsync(action, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task With_opt_in_required_a_form_sends_the_double_opt_in_email_whose_link_opts_the_person_in()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sink = await SmtpSink.StartAsync();
        var (server, api) = await StartAsync(sink);
        await using var _ = server;
        using var __ = api;
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO workspace_settings (key, value) VALUES ('email.require_opt_in', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'",
            transaction: tx), ct);
        var action = await CreateFormAsync(api, new { name = "Newsletter" });

        await SubmitAsync(server, action, new() { ["email"] = "eva@example.com", ["firstName"] = "Eva", ["consent"] = "on" });

        var eva = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM people WHERE email = 'eva@example.com'"), ct);
        var email = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Kind, string Subject, string TextBody, string HtmlBody)>(
            "SELECT kind, subject, text_body, html_body FROM email_sends WHERE person_id = @eva", new { eva }), ct);
        var link = server.Services.GetRequiredService<EmailLinks>().ConfirmUrl(eva);
        Assert.Equal("transactional", email.Kind);
        Assert.Equal("Please confirm your subscription", email.Subject);
        Assert.Contains(link, email.TextBody);
        Assert.Contains($"href=\"{link}\"", email.HtmlBody);
        Assert.DoesNotContain("confirm.tandem.invalid", email.HtmlBody + email.TextBody);
        Assert.Equal("pending", await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT status FROM email_consents WHERE person_id = @eva", new { eva }), ct));
        Assert.Equal(1, await server.Services.GetRequiredService<EmailSender>().RunOnceAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), ct));
        var received = Assert.Single(await sink.WaitForMimeAsync(1));
        Assert.Equal("eva@example.com", received.To.Mailboxes.Single().Address);
        Assert.Equal("Please confirm your subscription", received.Subject);
        Assert.Contains(link, received.TextBody);

        using var browser = server.Client();
        var page = await browser.GetStringAsync(new Uri(link).PathAndQuery, ct);
        Assert.StartsWith("https://go.lumen.io/e/confirm/", link);

        Assert.Contains("You're subscribed", page);
        Assert.Equal("opted_in", await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT status FROM email_consents WHERE person_id = @eva", new { eva }), ct));
    }

    [Fact]
    public async Task A_forms_confirmation_is_queued_with_the_submission_and_says_it_is_transactional()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, api) = await StartAsync();
        await using var _ = server;
        using var __ = api;
        await server.CreateTemplateAsync("guide-thanks", kind: "transactional", subject: "Your guide", body: "Here is the guide you asked for.");
        var action = await CreateFormAsync(api, new { name = "Guide download", confirmationTemplate = "guide-thanks" });

        await SubmitAsync(server, action, new() { ["email"] = "fay@example.com" });
        var queued = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM email_sends WHERE to_address = 'fay@example.com' AND kind = 'transactional'"), ct);
        Assert.Equal(1, queued);
        var email = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Subject, string TextBody)>(
            "SELECT subject, text_body FROM email_sends WHERE to_address = 'fay@example.com'"), ct);
        Assert.Equal("Your guide", email.Subject);
        Assert.Contains("Here is the guide you asked for.", email.TextBody);
        Assert.Contains("because of something you asked", email.TextBody);
        Assert.DoesNotContain("/e/u/", email.TextBody);

    }

    [Fact]
    public async Task After_a_one_click_unsubscribe_the_queue_refuses_marketing_email()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, api) = await StartAsync();
        await using var _ = server;
        using var __ = api;
        var gus = (await api.CaptureLeadAsync(new { email = "gus@example.com" })).Id();
        var template = await server.CreateTemplateAsync("welcome");
        var first = await server.QueueAsync(gus, template, clock);
        Assert.True(first.Queued);

        using var mailClient = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };
        var unsubscribe = new Uri(server.Services.GetRequiredService<EmailLinks>().UnsubscribeUrl(first.SendId!.Value)).PathAndQuery;
        (await mailClient.PostAsync(unsubscribe, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), ct))
            .EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromDays(30));

        var second = await server.QueueAsync(gus, await server.CreateTemplateAsync("second"), clock);

        Assert.False(second.Queued);
        Assert.Equal(EmailHold.Suppressed, second.Hold);
    }
}

public sealed class ConsentEmailTestsOnSqlite() : ConsentEmailTests(DatabaseProvider.Sqlite);

public sealed class ConsentEmailTestsOnPostgres() : ConsentEmailTests(DatabaseProvider.Postgres);
