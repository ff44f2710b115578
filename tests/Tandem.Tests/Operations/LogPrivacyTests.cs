using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Notifications;
using Tandem.Tests.Routing;

namespace Tandem.Tests.Operations;

/// <summary>What an operator's log may hold: ids and reasons, never a lead's or user's email address or a webhook's URL.</summary>
public abstract class LogPrivacyTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Failed_webhook_and_email_deliveries_are_logged_without_addresses_or_urls()
    {
        var ct = TestContext.Current.CancellationToken;
        var log = new LogCapture();
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 100);
        await using var server = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Tandem:Notifications:PollMilliseconds"] = "50",
            // Nothing listens on port 9: every assignment email fails to send, which is logged.
            ["Tandem:Notifications:Smtp:Host"] = "127.0.0.1",
            ["Tandem:Notifications:Smtp:Port"] = "9",
            ["Tandem:Notifications:Smtp:From"] = "tandem@lumen.example",
        }, services: log.AddTo);
        using var api = await server.AdminClientAsync();
        var rep = await server.HireAsync("Riley");
        await api.CreateRuleAsync("Everyone", await api.CreateTeamAsync("Inbound", [rep]));
        var hook = receiver.Url + "?token=hook-secret-0451";
        (await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "crm", url = hook, events = new[] { "lead.assigned" } }, ct)).EnsureSuccessStatusCode();
        var lead = (await api.CaptureLeadAsync(new { email = "private.person@acme.io", firstName = "Pat" })).Id();

        await api.QualifyAsync(lead);
        await Poll.UntilAsync(() => api.GetJsonAsync($"/api/v1/notifications/deliveries?personId={lead}"),
            d => d.GetArrayLength() == 2 && d.EnumerateArray().All(x => x.GetProperty("attempts").GetInt32() >= 1),
            "the webhook and the email to the rep have each been tried");
        await Poll.UntilAsync(() => Task.FromResult(log.Lines.Count(l => l.Contains("attempt 1 failed"))), n => n >= 2,
            "both failed attempts are logged");

        var lines = log.Lines;
        Assert.DoesNotContain(lines, l => l.Contains("riley@lumen.example", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.Contains("private.person@acme.io", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.Contains("hook-secret-0451") || l.Contains(receiver.Url));
    }

    [Theory]
    [InlineData("550 5.1.1 <riley@lumen.example>: Recipient address rejected", "550 5.1.1 <[email]>: Recipient address rejected")]
    [InlineData("Could not send: Connection refused (https://hooks.example.com/T0/B0/secret)", "Could not send: Connection refused ([url])")]
    [InlineData("The receiver answered 503.", "The receiver answered 503.")]
    public void Log_text_replaces_addresses_and_urls(string text, string logged) =>
        Assert.Equal(logged, Tandem.Server.Hosting.LogText.Redact(text));
}

public sealed class LogPrivacyTestsOnSqlite() : LogPrivacyTests(DatabaseProvider.Sqlite);

public sealed class LogPrivacyTestsOnPostgres() : LogPrivacyTests(DatabaseProvider.Postgres);
