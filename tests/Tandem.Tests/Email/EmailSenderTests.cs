using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Tandem.Server.Email;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Notifications;

namespace Tandem.Tests.Email;

/// <summary>The sender against a real SMTP server on loopback, driven round by round under a fake clock.</summary>
public abstract class EmailSenderTests(DatabaseProvider provider)
{
    private readonly ManualClock clock = new();

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    internal static Dictionary<string, string?> Relay(SmtpSink sink) => new()
    {
        ["Tandem:Email:Smtp:Host"] = "127.0.0.1",
        ["Tandem:Email:Smtp:Port"] = sink.Port.ToString(),
        ["Tandem:Email:SenderEnabled"] = "false",
        ["Tandem:Email:PublicUrl"] = "https://go.lumen.io",
        ["Tandem:Email:MaxAttempts"] = "2",
    };

    private async Task<(TandemServer Server, HttpClient Api, EmailEvents Events)> StartAsync(SmtpSink sink, string? connectionString = null)
    {
        var events = new EmailEvents();
        var server = await TandemServer.StartAsync(provider, clock, Relay(sink), connectionString,
            s => s.AddSingleton<IPersonEventHandler>(events));
        await server.ConfigureAsync();
        return (server, await server.AdminClientAsync(), events);
    }

    private static EmailSender Sender(TandemServer server) => server.Services.GetRequiredService<EmailSender>();

    [Fact]
    public async Task A_marketing_email_reaches_the_relay_as_text_and_html_with_one_click_unsubscribe_and_is_recorded_as_sent()
    {
        using var sink = await SmtpSink.StartAsync();
        var (server, api, _) = await StartAsync(sink);
        await using var _ = server;
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io", firstName = "Sam" })).Id();
        var sendId = (await server.QueueAsync(sam, await server.CreateTemplateAsync("welcome"), clock)).SendId!.Value;

        Assert.Equal(1, await Sender(server).RunOnceAsync(Now, TestContext.Current.CancellationToken));

        var message = Assert.Single(await sink.WaitForMimeAsync(1));
        var row = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Status, long? SentAt, string MessageId)>(
            "SELECT status, sent_at, message_id FROM email_sends WHERE id = @sendId", new { sendId }), TestContext.Current.CancellationToken);
        Assert.Equal("sent", row.Status);
        Assert.Equal(Now, row.SentAt);
        Assert.Equal(row.MessageId, message.MessageId);
        Assert.Equal("Hello Sam", message.Subject);
        Assert.Equal("news@lumen.io", message.From.Mailboxes.Single().Address);
        Assert.Equal("Lumen", message.From.Mailboxes.Single().Name);
        Assert.Equal("hello@lumen.io", message.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal(sendId.ToString(), message.Headers["X-Tandem-Send"]);
        Assert.Matches($"^<https://go\\.lumen\\.io/e/u/{sendId}\\.[A-Za-z0-9_-]+>$", message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.Null(message.Headers["Auto-Submitted"]);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.OfType<TextPart>().Select(p => p.ContentType.MimeType));
        Assert.Contains("Hauptstraße 1", message.HtmlBody);
        Assert.Contains("Unsubscribe</a>", message.HtmlBody);
        Assert.Contains("Hi Sam, see pricing (https://go.lumen.io/e/c/", message.TextBody);

        var activity = await server.Database.ReadAsync(c => c.QuerySingleAsync<string>(
            "SELECT properties FROM activities WHERE person_id = @sam AND type = 'email_sent'", new { sam }), TestContext.Current.CancellationToken);
        Assert.Contains($"\"sendId\":{sendId}", activity);
        Assert.Equal(0, await Sender(server).RunOnceAsync(Now, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Transactional_email_carries_no_unsubscribe_headers()
    {
        using var sink = await SmtpSink.StartAsync();
        var (server, api, _) = await StartAsync(sink);
        await using var _ = server;
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io" })).Id();
        await server.QueueAsync(sam, await server.CreateTemplateAsync("thanks", "transactional"), clock, EmailKind.Transactional);

        await Sender(server).RunOnceAsync(Now, TestContext.Current.CancellationToken);

        var message = Assert.Single(await sink.WaitForMimeAsync(1));
        Assert.Null(message.Headers["List-Unsubscribe"]);
        Assert.Null(message.Headers["List-Unsubscribe-Post"]);
        Assert.DoesNotContain("Unsubscribe", message.HtmlBody);
    }

    [Fact]
    public async Task A_recipient_the_relay_rejects_for_good_is_a_hard_bounce_suppressed_at_once()
    {
        using var sink = await SmtpSink.StartAsync();
        var (server, api, events) = await StartAsync(sink);
        await using var _ = server;
        var gone = (await api.CaptureLeadAsync(new { email = "reject-me@acme.io" })).Id();
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io" })).Id();
        var template = await server.CreateTemplateAsync("welcome");
        var bouncedSend = (await server.QueueAsync(gone, template, clock)).SendId;
        await server.QueueAsync(sam, template, clock);

        await Sender(server).RunOnceAsync(Now, TestContext.Current.CancellationToken);

        // The connection survives the refusal: the next email in the batch still goes.
        Assert.Equal("sam@acme.io", Assert.Single(await sink.WaitForMimeAsync(1)).To.Mailboxes.Single().Address);
        var row = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Status, string LastError, string BounceKind)>(
            "SELECT status, last_error, bounce_kind FROM email_sends WHERE id = @bouncedSend", new { bouncedSend }), TestContext.Current.CancellationToken);
        Assert.Equal("failed", row.Status);
        Assert.Equal("hard", row.BounceKind);
        Assert.Contains("550", row.LastError);
        var source = await server.Database.ReadAsync(c => c.QuerySingleAsync<string>(
            "SELECT source FROM email_suppressions WHERE address = 'reject-me@acme.io' AND reason = 'hard_bounce'"), TestContext.Current.CancellationToken);
        Assert.Contains("SMTP 550", source);
        Assert.Contains("User unknown", source);
        Assert.Equal(1, await server.Database.CountAsync("SELECT COUNT(*) FROM activities WHERE person_id = @gone AND type = 'email_bounced'", new { gone }));
        var recorded = Assert.Single(events.Recorded);
        Assert.Equal((gone, EmailEventKind.Bounced, bouncedSend), (recorded.PersonId, recorded.Kind, recorded.SendId));
        Assert.Equal(EmailHold.Suppressed, (await server.QueueAsync(gone, await server.CreateTemplateAsync("thanks", "transactional"), clock,
            EmailKind.Transactional)).Hold);
    }

    [Fact]
    public async Task A_temporary_refusal_is_retried_with_backoff_and_given_up_after_the_last_attempt()
    {
        using var sink = await SmtpSink.StartAsync();
        var (server, api, _) = await StartAsync(sink);
        await using var _ = server;
        var later = (await api.CaptureLeadAsync(new { email = "tempfail@acme.io" })).Id();
        var sendId = (await server.QueueAsync(later, await server.CreateTemplateAsync("welcome"), clock)).SendId;
        var sender = Sender(server);

        await sender.RunOnceAsync(Now, TestContext.Current.CancellationToken);
        var first = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Status, int Attempts, long NextAttemptAt, string LastError)>(
            "SELECT status, attempts, next_attempt_at, last_error FROM email_sends WHERE id = @sendId", new { sendId }), TestContext.Current.CancellationToken);
        Assert.Equal(("queued", 1, Now + 60_000), (first.Status, first.Attempts, first.NextAttemptAt));
        Assert.Contains("451", first.LastError);

        Assert.Equal(0, await sender.RunOnceAsync(Now + 59_000, TestContext.Current.CancellationToken));
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await sender.RunOnceAsync(Now, TestContext.Current.CancellationToken));
        var last = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Status, string LastError)>(
            "SELECT status, last_error FROM email_sends WHERE id = @sendId", new { sendId }), TestContext.Current.CancellationToken);
        Assert.Equal("failed", last.Status);
        Assert.StartsWith("Gave up after 2 attempts", last.LastError);
        Assert.Equal(0, sink.Received);
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM email_suppressions"));
    }

    [Fact]
    public async Task A_send_left_sending_by_a_server_that_died_becomes_unknown_and_is_never_sent_again()
    {
        using var sink = await SmtpSink.StartAsync();
        var (server, api, _) = await StartAsync(sink);
        await using var _ = server;
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io" })).Id();
        var sendId = (await server.QueueAsync(sam, await server.CreateTemplateAsync("welcome"), clock)).SendId;
        // A server claims it, hands it to SMTP (perhaps) and dies before recording the outcome.
        await server.Database.WriteAsync((c, tx) => EmailSendClaims.ClaimAsync(c, tx, "dead-server", Now, Now + 300_000, 10),
            TestContext.Current.CancellationToken);

        var sender = Sender(server);
        Assert.Equal(0, await sender.RunOnceAsync(Now + 299_000, TestContext.Current.CancellationToken));
        clock.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal(1, await sender.RunOnceAsync(Now, TestContext.Current.CancellationToken));
        await sender.RunOnceAsync(Now + 3_600_000, TestContext.Current.CancellationToken);

        var row = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Status, string LastError)>(
            "SELECT status, last_error FROM email_sends WHERE id = @sendId", new { sendId }), TestContext.Current.CancellationToken);
        Assert.Equal("unknown", row.Status);
        Assert.Contains("dead-server", row.LastError);
        Assert.Contains("not sent again", row.LastError);
        Assert.Equal(0, sink.Received);
    }

    [Fact]
    public async Task Two_servers_on_one_postgres_database_never_send_one_email_twice()
    {
        Assert.SkipWhen(provider != DatabaseProvider.Postgres, "Two servers share one database only on PostgreSQL.");
        using var sink = await SmtpSink.StartAsync();
        var (a, api, _) = await StartAsync(sink);
        await using var _a = a;
        var (b, _, _) = await StartAsync(sink, a.ConnectionString);
        await using var _b = b;
        var template = await a.CreateTemplateAsync("welcome", "transactional");
        const int Emails = 60;
        for (var i = 0; i < Emails; i++)
            await a.QueueAsync((await api.CaptureLeadAsync(new { email = $"lead{i}@acme.io" })).Id(), template, clock, EmailKind.Transactional);
        var options = a.Services.GetRequiredService<EmailOptions>();
        options.Batch = 7;
        b.Services.GetRequiredService<EmailOptions>().Batch = 7;

        // Four rounds at once, two per server, until nothing is left to claim.
        var senders = new[] { Sender(a), Sender(b), Sender(a), Sender(b) };
        while (await a.Database.CountAsync("SELECT COUNT(*) FROM email_sends WHERE status = 'queued'") > 0)
            await Task.WhenAll(senders.Select(s => Task.Run(() => s.RunOnceAsync(Now, TestContext.Current.CancellationToken))));

        var received = await sink.WaitForMimeAsync(Emails);
        Assert.Equal(Emails, await a.Database.CountAsync("SELECT COUNT(*) FROM email_sends WHERE status = 'sent'"));
        Assert.Equal(Emails, received.Select(m => m.Headers["X-Tandem-Send"]).Distinct().Count());
        Assert.Equal(Emails, sink.Received);
    }

    /// <summary>Records the email events raised, as a program would see them.</summary>
    private sealed class EmailEvents : IPersonEventHandler
    {
        public ConcurrentQueue<EmailEventRecorded> Queue { get; } = new();

        public IReadOnlyList<EmailEventRecorded> Recorded => Queue.ToList();

        public Task OnEmailEventRecordedAsync(DbConnection c, DbTransaction tx, EmailEventRecorded e)
        {
            Queue.Enqueue(e);
            return Task.CompletedTask;
        }
    }
}

public sealed class EmailSenderTestsOnSqlite() : EmailSenderTests(DatabaseProvider.Sqlite);

public sealed class EmailSenderTestsOnPostgres() : EmailSenderTests(DatabaseProvider.Postgres);
