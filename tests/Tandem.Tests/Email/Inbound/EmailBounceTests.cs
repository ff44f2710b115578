using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;

namespace Tandem.Tests.Email.Inbound;

/// <summary>Bounces and complaints in raw MIME: the address suppressed, the send marked, programs told once.</summary>
public abstract class EmailBounceTests(DatabaseProvider provider) : EmailInboundTests(provider)
{
    [Fact]
    public async Task A_postfix_bounce_suppresses_the_address_marks_the_send_and_tells_programs_once_however_often_it_is_posted()
    {
        await using var w = await StartAsync();
        var ana = await SentEmailAsync(w, 101, "ana.lopez@example.org", "20261102090000.101.a1b2c3@mail.lumen.test", "rt101aaaaaaaa", programId: 7);

        var first = await PostMimeAsync(w, "postfix-dsn-hard.eml");
        var again = await PostMimeAsync(w, "postfix-dsn-hard.eml");

        var recorded = Assert.Single(first.GetProperty("events").EnumerateArray());
        Assert.Equal(("hard_bounce", 101L, false), (recorded.GetProperty("kind").GetString(), recorded.GetProperty("sendId").GetInt64(), recorded.GetProperty("duplicate").GetBoolean()));
        Assert.True(Assert.Single(again.GetProperty("events").EnumerateArray()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(1L, await One<long>(w, "SELECT COUNT(*) FROM email_inbound_events"));

        var suppression = Assert.Single(await SuppressionsAsync(w, "ana.lopez@example.org"));
        Assert.StartsWith("hard_bounce: inbound email: failed 5.1.1: 550 5.1.1", suppression);
        var send = await One<(long? BouncedAt, string? Kind)>(w, "SELECT bounced_at, bounce_kind FROM email_sends WHERE id = 101");
        Assert.Equal("hard", send.Kind);
        Assert.NotNull(send.BouncedAt);
        var activity = Assert.Single(await ActivitiesAsync(w, ana, "email_bounced"));
        Assert.Equal((101L, 7L), (activity.GetProperty("sendId").GetInt64(), activity.GetProperty("programId").GetInt64()));
        var e = Assert.Single(w.Events.Seen);
        Assert.Equal((ana, EmailEventKind.Bounced, 101L, 7L, 101L, "welcome-1"), (e.PersonId, e.Kind, e.SendId, e.ProgramId, e.EnrollmentId, e.StepKey));
    }

    [Fact]
    public async Task A_gmail_bounce_finds_the_send_by_its_header_and_a_second_report_of_it_changes_nothing_more()
    {
        await using var w = await StartAsync();
        var bruno = await SentEmailAsync(w, 102, "bruno.silva@gmail.com", "20261102090002.102.b2c3d4@mail.lumen.test", "rt102bbbbbbbb");

        await PostMimeAsync(w, "gmail-dsn.eml");
        // The same bounce told by SendGrid too: recorded, but the send, the suppression and the timeline already say it.
        await PostAsync(w.Api, w.Hooks.GetProperty("sendGrid").GetString()!, JsonContent.Create(new[]
        {
            new Dictionary<string, string> { ["email"] = "bruno.silva@gmail.com", ["event"] = "bounce", ["type"] = "bounce", ["status"] = "5.1.1",
                ["reason"] = "550 5.1.1 no such user", ["sg_event_id"] = "evt-bruno-1", ["tandem_send_id"] = "102" },
        }));

        Assert.Equal(["hard_bounce", "hard_bounce"], await w.Db.ReadAsync(c => c.QueryAsync<string>("SELECT kind FROM email_inbound_events ORDER BY id"), TestContext.Current.CancellationToken));
        Assert.Single(await SuppressionsAsync(w, "bruno.silva@gmail.com"));
        Assert.Single(await ActivitiesAsync(w, bruno, "email_bounced"));
        Assert.Equal([EmailEventKind.Bounced], w.Events.Seen.Select(e => e.Kind));
    }

    [Fact]
    public async Task A_delay_is_a_soft_bounce_that_suppresses_nothing_until_three_in_a_row()
    {
        await using var w = await StartAsync();
        var fay = await SentEmailAsync(w, 106, "fay.kim@example.net", "20261102090004.106.f6a7b8@mail.lumen.test", "rt106ffffffff");

        await PostMimeAsync(w, "postfix-dsn-delayed.eml");

        Assert.Equal("soft", await One<string>(w, "SELECT bounce_kind FROM email_sends WHERE id = 106"));
        Assert.Equal(106L, Assert.Single(await ActivitiesAsync(w, fay, "email_soft_bounced")).GetProperty("sendId").GetInt64());
        Assert.Equal([EmailEventKind.SoftBounced], w.Events.Seen.Select(e => e.Kind));
        Assert.Empty(await SuppressionsAsync(w, "fay.kim@example.net"));
    }

    [Fact]
    public async Task Three_soft_bounces_in_a_row_suppress_the_address_as_a_hard_bounce()
    {
        await using var w = await StartAsync();
        var fay = await SentEmailAsync(w, 106, "fay.kim@example.net", "20261102090004.106.f6a7b8@mail.lumen.test", "rt106ffffffff");
        // Two earlier emails to the same address that soft-bounced, sent before send 106 (lower ids are older).
        await w.Db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO email_sends (id, person_id, kind, to_address, from_address, subject, text_body, html_body, message_id, reply_token, status, queued_at, " +
            "next_attempt_at, bounced_at, bounce_kind) VALUES (@id, @fay, 'marketing', 'Fay.Kim@example.net', 'hello@lumen.test', 's', 't', 'h', @mid, @token, 'sent', 1, 1, 1, 'soft')",
            new[] { 104L, 105L }.Select(id => new { id, fay, mid = $"older.{id}@mail.lumen.test", token = $"older{id}token" }), tx),
            TestContext.Current.CancellationToken);

        await PostMimeAsync(w, "postfix-dsn-delayed.eml");

        Assert.StartsWith("hard_bounce: 3 soft bounces in a row, the last inbound email: delayed 4.4.1",
            Assert.Single(await SuppressionsAsync(w, "fay.kim@example.net")));
        Assert.Single(await ActivitiesAsync(w, fay, "email_soft_bounced"));
    }

    [Fact]
    public async Task An_arf_complaint_suppresses_the_address_and_marks_the_send()
    {
        await using var w = await StartAsync();
        var chen = await SentEmailAsync(w, 103, "chen.wei@yahoo.com", "20261102090005.103.c3d4e5@mail.lumen.test", "rt103cccccccc");

        await PostMimeAsync(w, "arf-complaint.eml");

        Assert.Equal("complaint: inbound email: abuse report from Yahoo!-Mail-Feedback/1.0", Assert.Single(await SuppressionsAsync(w, "chen.wei@yahoo.com")));
        Assert.NotNull(await One<long?>(w, "SELECT complained_at FROM email_sends WHERE id = 103"));
        Assert.Single(await ActivitiesAsync(w, chen, "email_complained"));
        Assert.Equal([EmailEventKind.Complained], w.Events.Seen.Select(e => e.Kind));
    }
}

public sealed class EmailBounceTestsOnSqlite() : EmailBounceTests(DatabaseProvider.Sqlite);

public sealed class EmailBounceTestsOnPostgres() : EmailBounceTests(DatabaseProvider.Postgres);
