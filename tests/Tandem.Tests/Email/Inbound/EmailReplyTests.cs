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

/// <summary>Replies, auto-replies and unmatched mail: what reaches the owner, the programs and the webhooks.</summary>
public abstract class EmailReplyTests(DatabaseProvider provider) : EmailInboundTests(provider)
{
    [Fact]
    public async Task A_reply_is_an_activity_with_its_words_stops_programs_and_reaches_the_owner()
    {
        await using var w = await StartAsync();
        var dana = await SentEmailAsync(w, 104, "dana.ortiz@northwind.test", "20261102090006.104.d4e5f6@mail.lumen.test", "rt104dddddddd", programId: 3);
        var riley = await w.Server.HireAsync("Riley");
        (await w.Api.PutAsJsonAsync($"/api/v1/people/{dana}/owner", new { userId = riley }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        await PostMimeAsync(w, "reply-with-quote.eml");

        Assert.NotNull(await One<long?>(w, "SELECT replied_at FROM email_sends WHERE id = 104"));
        var activity = Assert.Single(await ActivitiesAsync(w, dana, "email_replied"));
        var text = activity.GetProperty("text").GetString()!;
        Assert.StartsWith("Hi,\n\nThanks — we're looking at replacing our current tool before Q1.", text);
        Assert.DoesNotContain("welcome to Lumen", text);
        var e = Assert.Single(w.Events.Seen);
        Assert.Equal((EmailEventKind.Replied, 104L, 3L), (e.Kind, e.SendId, e.ProgramId));

        var note = await One<(long? UserId, string Payload)>(w, "SELECT user_id, payload FROM notifications WHERE event = 'lead.replied'");
        Assert.Equal(riley, note.UserId);
        var payload = JsonDocument.Parse(note.Payload).RootElement;
        Assert.Equal(dana, payload.GetProperty("person").GetProperty("id").GetInt64());
        Assert.Equal(riley, payload.GetProperty("owner").GetProperty("id").GetInt64());
        Assert.Equal(text, payload.GetProperty("reply").GetProperty("text").GetString());
        Assert.Equal("dana.ortiz@northwind.test", payload.GetProperty("reply").GetProperty("from").GetString());
        Assert.Equal(104L, payload.GetProperty("reply").GetProperty("sendId").GetInt64());
    }

    [Fact]
    public async Task A_reply_takes_the_person_out_of_the_program_that_sent_the_email_and_an_auto_reply_does_not()
    {
        await using var w = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var created = await PostAsync(w.Api, "/api/v1/nurture/programs", JsonContent.Create(new
        {
            name = "Welcome series", kind = "welcome",
            definition = new { steps = new object[] { new { key = "pause", type = "wait", duration = "7d" } }, exits = new[] { "replied" } },
        }), HttpStatusCode.Created);
        var program = created.GetProperty("id").GetInt64();
        await PostAsync(w.Api, $"/api/v1/nurture/programs/{program}/publish", new StringContent(""), HttpStatusCode.OK);
        var enrolled = new List<long>();
        foreach (var (send, email, messageId, token) in new[]
        {
            (104L, "dana.ortiz@northwind.test", "20261102090006.104.d4e5f6@mail.lumen.test", "rt104dddddddd"),
            (105L, "eli.novak@contoso.test", "20261102090007.105.e5f6a7@mail.lumen.test", "rt105eeeeeeee"),
        })
        {
            var person = (await w.Api.CaptureLeadAsync(new { email })).Id();
            (await w.Api.PostAsJsonAsync($"/api/v1/nurture/programs/{program}/enroll", new { personId = person }, ct)).EnsureSuccessStatusCode();
            var enrollment = await One<long>(w, "SELECT id FROM nurture_enrollments WHERE person_id = @person", new { person });
            await w.Db.WriteAsync((c, tx) => c.ExecuteAsync(
                "INSERT INTO email_sends (id, person_id, kind, program_id, enrollment_id, step_key, to_address, from_address, subject, text_body, html_body, " +
                "message_id, reply_token, status, queued_at, next_attempt_at, sent_at) VALUES (@send, @person, 'marketing', @program, @enrollment, 'hello', " +
                "@email, 'hello@lumen.test', 'Welcome', 'Hi', '<p>Hi</p>', @messageId, @token, 'sent', 1, 1, 2)",
                new { send, person, program, enrollment, email, messageId, token }, tx), ct);
            enrolled.Add(enrollment);
        }

        await PostMimeAsync(w, "out-of-office.eml");
        await PostMimeAsync(w, "reply-with-quote.eml");

        var states = (await w.Db.ReadAsync(c => c.QueryAsync<(long Id, string Status, string? ExitReason)>(
            "SELECT id, status, exit_reason FROM nurture_enrollments ORDER BY id"), ct)).ToList();
        Assert.Equal([(enrolled[0], "exited", "replied"), (enrolled[1], "active", null)], states);
    }

    [Fact]
    public async Task A_reply_from_a_lead_with_no_owner_goes_to_the_webhooks_alone()
    {
        await using var w = await StartAsync();
        await SentEmailAsync(w, 104, "dana.ortiz@northwind.test", "20261102090006.104.d4e5f6@mail.lumen.test", "other-token-104");

        // No reply token this time (the relay lost it): the thread's In-Reply-To finds the send.
        var raw = File.ReadAllText(InboundParserTests.Fixture("reply-with-quote.eml")).Replace("reply+rt104dddddddd@", "hello@");
        await PostAsync(w.Api, w.Hooks.GetProperty("rawMime").GetString()!, Mime(Encoding.UTF8.GetBytes(raw)));

        Assert.Equal(104L, await One<long>(w, "SELECT send_id FROM email_inbound_events WHERE kind = 'reply'"));
        Assert.Null(await One<long?>(w, "SELECT user_id FROM notifications WHERE event = 'lead.replied'"));
    }

    [Fact]
    public async Task An_out_of_office_is_recorded_but_neither_a_reply_nor_a_reason_to_tell_the_owner()
    {
        await using var w = await StartAsync();
        var eli = await SentEmailAsync(w, 105, "eli.novak@contoso.test", "20261102090007.105.e5f6a7@mail.lumen.test", "rt105eeeeeeee");

        await PostMimeAsync(w, "out-of-office.eml");

        Assert.Null(await One<long?>(w, "SELECT replied_at FROM email_sends WHERE id = 105"));
        Assert.Single(await ActivitiesAsync(w, eli, "email_auto_replied"));
        Assert.Empty(await ActivitiesAsync(w, eli, "email_replied"));
        Assert.Equal([EmailEventKind.AutoReplied], w.Events.Seen.Select(e => e.Kind));
        Assert.Equal(0L, await One<long>(w, "SELECT COUNT(*) FROM notifications WHERE event = 'lead.replied'"));
    }

    [Fact]
    public async Task A_message_that_matches_nothing_is_kept_as_unmatched_and_changes_nothing()
    {
        await using var w = await StartAsync();
        var raw = "From: Someone <someone@elsewhere.test>\r\nTo: hello@lumen.test\r\nSubject: Question\r\nMessage-ID: <q1@elsewhere.test>\r\n" +
            // A stray NUL byte, as broken mailers send: PostgreSQL text cannot hold it, and the message must still be kept.
            "In-Reply-To: <never-sent@mail.lumen.test>\r\n\r\nDo you ship to Norway?\0\r\n";

        var answer = await PostAsync(w.Api, w.Hooks.GetProperty("rawMime").GetString()!, Mime(Encoding.UTF8.GetBytes(raw)));

        var only = Assert.Single(answer.GetProperty("events").EnumerateArray());
        Assert.Equal("unmatched", only.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("sendId").ValueKind);
        var logged = Assert.Single((await w.Api.GetJsonAsync("/api/v1/email/inbound/events?kind=unmatched")).EnumerateArray());
        Assert.Contains("Do you ship to Norway?", logged.GetProperty("rawExcerpt").GetString());
        Assert.StartsWith("reply matching no email Tandem sent", logged.GetProperty("detail").GetString());
        Assert.Equal(0L, await One<long>(w, "SELECT COUNT(*) FROM activities WHERE type LIKE 'email_%'"));
        Assert.Empty(w.Events.Seen);
    }
}

public sealed class EmailReplyTestsOnSqlite() : EmailReplyTests(DatabaseProvider.Sqlite);

public sealed class EmailReplyTestsOnPostgres() : EmailReplyTests(DatabaseProvider.Postgres);
