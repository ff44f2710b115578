using Dapper;
using Tandem.Server.Email;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Email;

public abstract class EmailQueueTests(DatabaseProvider provider)
{
    private readonly ManualClock clock = new();

    private async Task<(TandemServer Server, HttpClient Api)> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var server = await TandemServer.StartAsync(provider, clock, new Dictionary<string, string?>(settings ?? [])
        {
            ["Tandem:Email:SenderEnabled"] = "false",
        });
        await server.ConfigureAsync();
        return (server, await server.AdminClientAsync());
    }

    [Fact]
    public async Task A_queued_send_is_rendered_for_the_person_with_our_message_id_and_a_reply_address_that_carries_its_token()
    {
        var (server, api) = await StartAsync(new() { ["Tandem:Email:ReplyDomain"] = "in.lumen.io", ["Tandem:Email:PublicUrl"] = "https://go.lumen.io" });
        await using var _ = server;
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io", firstName = "Sam", company = "Acme" })).Id();
        var template = await server.CreateTemplateAsync("welcome");

        var outcome = await server.QueueAsync(sam, template, clock);

        Assert.True(outcome.Queued);
        var row = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Status, string MessageId, string ReplyToken, string ReplyTo, string Subject,
            string HtmlBody, string TextBody, string ToAddress, string FromAddress)>(
            "SELECT status, message_id, reply_token, reply_to, subject, html_body, text_body, to_address, from_address FROM email_sends WHERE id = @SendId",
            new { outcome.SendId }), TestContext.Current.CancellationToken);
        Assert.Equal("queued", row.Status);
        Assert.EndsWith("@lumen.io", row.MessageId);
        Assert.DoesNotContain("<", row.MessageId);
        Assert.Equal($"reply+{row.ReplyToken}@in.lumen.io", row.ReplyTo);
        Assert.Equal("Hello Sam", row.Subject);
        Assert.Contains("Hi Sam, see", row.HtmlBody);
        Assert.Contains($"https://go.lumen.io/e/u/{outcome.SendId}.", row.HtmlBody);
        Assert.Contains($"https://go.lumen.io/e/c/{outcome.SendId}.", row.HtmlBody);
        Assert.Contains("Unsubscribe: https://go.lumen.io/e/u/", row.TextBody);
        Assert.Contains("sam@acme.io", row.ToAddress);
        Assert.Contains("news@lumen.io", row.FromAddress);
    }

    [Fact]
    public async Task Without_a_reply_domain_replies_go_to_the_workspace_reply_address_and_transactional_email_is_not_tracked()
    {
        var (server, api) = await StartAsync();
        await using var _ = server;
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io" })).Id();
        var outcome = await server.QueueAsync(sam, await server.CreateTemplateAsync("thanks", "transactional"), clock, EmailKind.Transactional);

        var row = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string ReplyTo, string HtmlBody)>(
            "SELECT reply_to, html_body FROM email_sends WHERE id = @SendId", new { outcome.SendId }), TestContext.Current.CancellationToken);
        Assert.Equal("hello@lumen.io", row.ReplyTo);
        Assert.Contains("href=\"https://lumen.io/pricing\"", row.HtmlBody);
        Assert.DoesNotContain("/e/u/", row.HtmlBody);
        Assert.DoesNotContain("/e/o/", row.HtmlBody);
    }

    [Fact]
    public async Task A_person_without_an_address_is_held()
    {
        var (server, api) = await StartAsync();
        await using var _ = server;
        var nobody = (await api.CaptureLeadAsync(new { externalIds = new[] { new { source = "crm", id = "1" } }, lastName = "Okafor" })).Id();

        var outcome = await server.QueueAsync(nobody, await server.CreateTemplateAsync("welcome"), clock);

        Assert.Equal(EmailHold.NoAddress, outcome.Hold);
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM email_sends"));
    }

    [Fact]
    public async Task Suppressed_addresses_get_no_marketing_and_hard_bounces_and_complaints_no_transactional_email_either()
    {
        var (server, api) = await StartAsync();
        await using var _ = server;
        var marketing = await server.CreateTemplateAsync("news", topic: "newsletter");
        var transactional = await server.CreateTemplateAsync("thanks", "transactional");
        var unsubscribed = (await api.CaptureLeadAsync(new { email = "gone@acme.io" })).Id();
        var bounced = (await api.CaptureLeadAsync(new { email = "Bounced@acme.io" })).Id();
        var flagged = (await api.CaptureLeadAsync(new { email = "flag@acme.io" })).Id();
        var topicLeaver = (await api.CaptureLeadAsync(new { email = "topic@acme.io" })).Id();
        await server.Database.WriteAsync(async (c, tx) =>
        {
            await EmailSuppressions.SuppressAsync(c, tx, "gone@acme.io", SuppressionReasons.Unsubscribed, "one-click unsubscribe", unsubscribed, null, 0);
            await EmailSuppressions.SuppressAsync(c, tx, "bounced@acme.io", SuppressionReasons.HardBounce, "SMTP 550 5.1.1", bounced, null, 0);
            await c.ExecuteAsync("UPDATE people SET do_not_email = 1 WHERE id = @flagged", new { flagged }, tx);
            await c.ExecuteAsync("INSERT INTO email_topic_optouts (person_id, topic, at) VALUES (@topicLeaver, 'newsletter', 0)", new { topicLeaver }, tx);
        }, TestContext.Current.CancellationToken);

        foreach (var person in new[] { unsubscribed, bounced, flagged, topicLeaver })
            Assert.Equal(EmailHold.Suppressed, (await server.QueueAsync(person, marketing, clock)).Hold);
        Assert.Contains("hard_bounce", (await server.QueueAsync(bounced, transactional, clock, EmailKind.Transactional)).Reason);
        Assert.True((await server.QueueAsync(unsubscribed, transactional, clock, EmailKind.Transactional)).Queued);
        Assert.True((await server.QueueAsync(topicLeaver, transactional, clock, EmailKind.Transactional)).Queued);
        Assert.True((await server.QueueAsync(topicLeaver, await server.CreateTemplateAsync("events", topic: "events"), clock)).Queued);
    }

    [Fact]
    public async Task When_opt_in_is_required_only_confirmed_people_get_marketing_and_an_opt_out_always_holds()
    {
        var (server, api) = await StartAsync();
        await using var _ = server;
        var template = await server.CreateTemplateAsync("news");
        var confirmed = (await api.CaptureLeadAsync(new { email = "yes@acme.io" })).Id();
        var pending = (await api.CaptureLeadAsync(new { email = "pending@acme.io" })).Id();
        var optedOut = (await api.CaptureLeadAsync(new { email = "no@acme.io" })).Id();
        foreach (var (person, status) in new[] { (confirmed, "opted_in"), (pending, "pending"), (optedOut, "opted_out") })
            await server.Database.ExecAsync("INSERT INTO email_consents (person_id, status, basis, source, updated_at) VALUES (@person, @status, 'consent', 'test', 0)",
                new { person, status });

        Assert.True((await server.QueueAsync(pending, template, clock)).Queued);
        Assert.Equal(EmailHold.NoConsent, (await server.QueueAsync(optedOut, template, clock)).Hold);

        await server.ConfigureAsync(SendingWorld.Lumen with { RequireOptIn = true });
        Assert.True((await server.QueueAsync(confirmed, template, clock)).Queued);
        var held = await server.QueueAsync(pending, template, clock);
        Assert.Equal(EmailHold.NoConsent, held.Hold);
        Assert.Contains("not confirmed", held.Reason);
        Assert.True((await server.QueueAsync(pending, await server.CreateTemplateAsync("confirm", "transactional"), clock, EmailKind.Transactional)).Queued);
    }

    [Fact]
    public async Task Marketing_waits_for_a_physical_address_while_transactional_email_goes()
    {
        var (server, api) = await StartAsync();
        await using var _ = server;
        await server.ConfigureAsync(SendingWorld.Lumen with { PhysicalAddress = null });
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io" })).Id();

        var held = await server.QueueAsync(sam, await server.CreateTemplateAsync("news"), clock);

        Assert.Equal(EmailHold.NotConfigured, held.Hold);
        Assert.Contains("physical address", held.Reason);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds() + EmailHolds.NotConfiguredRetryMs, held.RetryAt);
        Assert.True((await server.QueueAsync(sam, await server.CreateTemplateAsync("thanks", "transactional"), clock, EmailKind.Transactional)).Queued);
    }

    [Fact]
    public async Task The_frequency_cap_holds_the_third_marketing_email_in_a_week_until_the_oldest_leaves_the_window()
    {
        var (server, api) = await StartAsync();
        await using var _ = server;
        await server.ConfigureAsync(SendingWorld.Lumen with { FrequencyCap = SendingWorld.Cap("2/7") });
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io" })).Id();
        var template = await server.CreateTemplateAsync("news");
        var transactional = await server.CreateTemplateAsync("thanks", "transactional");
        var first = clock.GetUtcNow();

        Assert.True((await server.QueueAsync(sam, template, clock)).Queued);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.True((await server.QueueAsync(sam, template, clock)).Queued);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.True((await server.QueueAsync(sam, transactional, clock, EmailKind.Transactional)).Queued); // not counted, not capped
        var held = await server.QueueAsync(sam, template, clock);

        Assert.Equal(EmailHold.FrequencyCap, held.Hold);
        Assert.Equal(first.AddDays(7).ToUnixTimeMilliseconds(), held.RetryAt);
        clock.Set(first.AddDays(7).AddMilliseconds(1));
        Assert.True((await server.QueueAsync(sam, template, clock)).Queued);
        Assert.Equal(EmailHold.FrequencyCap, (await server.QueueAsync(sam, template, clock)).Hold);
    }

    [Fact]
    public async Task Queueing_the_same_program_step_twice_returns_the_first_send()
    {
        var (server, api) = await StartAsync();
        await using var _ = server;
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io" })).Id();
        var template = await server.CreateTemplateAsync("welcome");
        var step = new EmailRequest(sam, template, EmailKind.Marketing, ProgramId: 7, EnrollmentId: 70, StepKey: "welcome-1");

        var first = await server.QueueAsync(step, clock);
        var again = await server.QueueAsync(step, clock);
        var next = await server.QueueAsync(step with { StepKey = "welcome-2" }, clock);

        Assert.Equal(first.SendId, again.SendId);
        Assert.NotEqual(first.SendId, next.SendId);
        Assert.Equal(2, await server.Database.CountAsync("SELECT COUNT(*) FROM email_sends WHERE enrollment_id = 70"));
    }
}

public sealed class EmailQueueTestsOnSqlite() : EmailQueueTests(DatabaseProvider.Sqlite);

public sealed class EmailQueueTestsOnPostgres() : EmailQueueTests(DatabaseProvider.Postgres);
