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

/// <summary>Every EmailEventRecorded that reached the handlers, in order — what programs and owners react to.</summary>
internal sealed class EmailEventLog : IPersonEventHandler
{
    private readonly List<EmailEventRecorded> seen = [];

    public IReadOnlyList<EmailEventRecorded> Seen { get { lock (seen) return seen.ToList(); } }

    public Task OnEmailEventRecordedAsync(DbConnection c, DbTransaction tx, EmailEventRecorded e)
    {
        lock (seen) seen.Add(e);
        return Task.CompletedTask;
    }
}

/// <summary>The inbound hooks end to end: what arrives, what is recorded, and what it changes — on SQLite and PostgreSQL.</summary>
public abstract class EmailInboundTests(DatabaseProvider provider)
{
    private sealed record World(TandemServer Server, HttpClient Api, EmailEventLog Events, JsonElement Hooks) : IAsyncDisposable
    {
        public Database Db => Server.Database;

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            await Server.DisposeAsync();
        }
    }

    private async Task<World> StartAsync()
    {
        var log = new EmailEventLog();
        var server = await TandemServer.StartAsync(provider, new ManualClock(), services: s => s.AddSingleton<IPersonEventHandler>(log));
        var api = await server.AdminClientAsync();
        return new(server, api, log, await api.GetJsonAsync("/api/v1/email/inbound"));
    }

    /// <summary>A person and an email Tandem sent them, as the sender leaves it: status sent, our Message-ID and reply token.</summary>
    private static async Task<long> SentEmailAsync(World w, long sendId, string email, string messageId, string replyToken, long? programId = null)
    {
        var person = (await w.Api.CaptureLeadAsync(new { email, firstName = email.Split('.', '@')[0] })).Id();
        await w.Db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO email_sends (id, person_id, kind, program_id, enrollment_id, step_key, to_address, from_address, reply_to, subject, text_body, html_body, " +
            "message_id, reply_token, status, queued_at, next_attempt_at, sent_at) VALUES (@sendId, @person, 'marketing', @programId, @enrollment, @step, @email, " +
            "'hello@lumen.test', @replyTo, 'Welcome to Lumen', 'Hi', '<p>Hi</p>', @messageId, @replyToken, 'sent', 1, 1, 2)",
            new { sendId, person, programId, enrollment = programId is null ? (long?)null : sendId, step = programId is null ? null : "welcome-1", email,
                replyTo = $"reply+{replyToken}@reply.lumen.test", messageId, replyToken }, tx));
        return person;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string url, HttpContent content, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var response = await client.PostAsync(url, content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static Task<JsonElement> PostMimeAsync(World w, string fixture) =>
        PostAsync(w.Api, w.Hooks.GetProperty("rawMime").GetString()!, Mime(File.ReadAllBytes(InboundParserTests.Fixture(fixture))));

    private static Task<JsonElement> PostJsonAsync(World w, string hook, string fixture) =>
        // SNS posts its JSON as text/plain; SendGrid as application/json. Both are read as written.
        PostAsync(w.Api, w.Hooks.GetProperty(hook).GetString()!,
            new StringContent(File.ReadAllText(InboundParserTests.Fixture(fixture)), Encoding.UTF8, hook == "ses" ? "text/plain" : "application/json"));

    private static ByteArrayContent Mime(byte[] raw)
    {
        var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return content;
    }

    private static Task<T> One<T>(World w, string sql, object? args = null) => w.Db.ReadAsync(c => c.QuerySingleAsync<T>(sql, args));

    private static async Task<IReadOnlyList<string>> SuppressionsAsync(World w, string address) =>
        (await w.Db.ReadAsync(c => c.QueryAsync<string>("SELECT reason || ': ' || source FROM email_suppressions WHERE address = @address ORDER BY id",
            new { address }))).ToList();

    private static async Task<IReadOnlyList<JsonElement>> ActivitiesAsync(World w, long person, string type) =>
        (await w.Db.ReadAsync(c => c.QueryAsync<string>("SELECT properties FROM activities WHERE person_id = @person AND type = @type ORDER BY id",
            new { person, type }))).Select(p => JsonDocument.Parse(p).RootElement.Clone()).ToList();

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

    [Fact]
    public async Task A_sendgrid_inbound_parse_form_carries_the_raw_message_and_its_envelope()
    {
        await using var w = await StartAsync();
        var dana = await SentEmailAsync(w, 104, "dana.ortiz@northwind.test", "unrelated@mail.lumen.test", "rt104dddddddd");
        var raw = "From: Dana <dana.ortiz@northwind.test>\r\nTo: Lumen <hello@lumen.test>\r\nSubject: Re: Welcome\r\nMessage-ID: <parse1@northwind.test>\r\n\r\nYes please.\r\n";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(raw), "email" },
            { new StringContent("{\"to\":[\"reply+rt104dddddddd@reply.lumen.test\"],\"from\":\"dana.ortiz@northwind.test\"}"), "envelope" },
            { new StringContent("Lumen <hello@lumen.test>"), "to" },
        };

        await PostAsync(w.Api, w.Hooks.GetProperty("rawMime").GetString()!, form);

        Assert.Equal("Yes please.", Assert.Single(await ActivitiesAsync(w, dana, "email_replied")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task SendGrid_events_bounce_complain_deliver_and_a_redelivered_batch_is_recorded_once()
    {
        await using var w = await StartAsync();
        var gus = await SentEmailAsync(w, 107, "gus.meyer@fabrikam.test", "20261102090008.107.f7a8b9@mail.lumen.test", "rt107gggggggg");
        var hana = await SentEmailAsync(w, 108, "hana.sato@litware.test", "20261102090009.108.a8b9c0@mail.lumen.test", "rt108hhhhhhhh");
        await SentEmailAsync(w, 109, "ike.obi@tailspin.test", "20261102090010.109.b9c0d1@mail.lumen.test", "rt109iiiiiiii");

        var first = await PostJsonAsync(w, "sendGrid", "sendgrid-events.json");
        var again = await PostJsonAsync(w, "sendGrid", "sendgrid-events.json");

        Assert.Equal(["hard_bounce", "delivered", "complaint", "soft_bounce", "deferred", "unmatched"],
            first.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.All(again.GetProperty("events").EnumerateArray(), e => Assert.True(e.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(6L, await One<long>(w, "SELECT COUNT(*) FROM email_inbound_events WHERE source = 'sendgrid'"));

        Assert.StartsWith("hard_bounce: SendGrid: bounce 5.1.1", Assert.Single(await SuppressionsAsync(w, "gus.meyer@fabrikam.test")));
        Assert.Single(await ActivitiesAsync(w, gus, "email_bounced"));
        Assert.Equal("complaint: SendGrid: spam report", Assert.Single(await SuppressionsAsync(w, "hana.sato@litware.test")));
        var hanaSend = await One<(long? DeliveredAt, long? ComplainedAt)>(w, "SELECT delivered_at, complained_at FROM email_sends WHERE id = 108");
        Assert.True(hanaSend.DeliveredAt is not null && hanaSend.ComplainedAt is not null);
        Assert.Single(await ActivitiesAsync(w, hana, "email_complained"));
        Assert.Equal("soft", await One<string>(w, "SELECT bounce_kind FROM email_sends WHERE id = 109"));
        Assert.Empty(await SuppressionsAsync(w, "ike.obi@tailspin.test"));
        Assert.Empty(await SuppressionsAsync(w, "nobody@unknown.test"));
        Assert.Equal([EmailEventKind.Bounced, EmailEventKind.Complained, EmailEventKind.SoftBounced], w.Events.Seen.Select(e => e.Kind));
    }

    [Fact]
    public async Task SES_notifications_through_SNS_bounce_complain_deliver_and_a_subscription_waits_for_an_administrator()
    {
        await using var w = await StartAsync();
        var jun = await SentEmailAsync(w, 110, "jun.park@adatum.test", "20261102090012.110.c0d1e2@mail.lumen.test", "rt110jjjjjjjj");
        var kim = await SentEmailAsync(w, 111, "kim.lee@wingtip.test", "20261102090015.111.d1e2f3@mail.lumen.test", "rt111kkkkkkkk");

        await PostJsonAsync(w, "ses", "sns-subscription-confirmation.json");
        await PostJsonAsync(w, "ses", "ses-delivery.json");
        await PostJsonAsync(w, "ses", "ses-bounce.json");
        await PostJsonAsync(w, "ses", "ses-complaint.json");
        var again = await PostJsonAsync(w, "ses", "ses-bounce.json");

        Assert.True(Assert.Single(again.GetProperty("events").EnumerateArray()).GetProperty("duplicate").GetBoolean());
        Assert.StartsWith("hard_bounce: Amazon SES: Permanent/General 5.1.1", Assert.Single(await SuppressionsAsync(w, "jun.park@adatum.test")));
        Assert.Single(await ActivitiesAsync(w, jun, "email_bounced"));
        Assert.Equal("complaint: Amazon SES: abuse report from Comcast Feedback Loop (V0.01)", Assert.Single(await SuppressionsAsync(w, "kim.lee@wingtip.test")));
        Assert.Single(await ActivitiesAsync(w, kim, "email_complained"));
        Assert.NotNull(await One<long?>(w, "SELECT delivered_at FROM email_sends WHERE id = 111"));
        var confirmation = Assert.Single((await w.Api.GetJsonAsync("/api/v1/email/inbound/events?kind=subscription_confirmation")).EnumerateArray());
        Assert.Contains("an administrator opens https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription", confirmation.GetProperty("detail").GetString());
        Assert.Equal([EmailEventKind.Bounced, EmailEventKind.Complained], w.Events.Seen.Select(e => e.Kind));
    }

    [Fact]
    public async Task A_wrong_secret_is_404_rotating_retires_the_old_one_and_only_email_scopes_see_it()
    {
        await using var w = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = w.Server.Client();
        var message = "From: a@b.test\r\nSubject: hi\r\n\r\nhi\r\n"u8.ToArray();
        foreach (var hook in new[] { "inbound", "sendgrid", "ses" })
            await PostAsync(anonymous, $"/hooks/email/{hook}/not-the-secret", Mime(message), HttpStatusCode.NotFound);

        var old = w.Hooks.GetProperty("rawMime").GetString()!;
        await PostAsync(anonymous, old, Mime(message));
        var rotated = await PostAsync(w.Api, "/api/v1/email/inbound/rotate", new StringContent(""), HttpStatusCode.OK);
        await PostAsync(anonymous, old, Mime(message), HttpStatusCode.NotFound);
        await PostAsync(anonymous, rotated.GetProperty("rawMime").GetString()!, Mime(message));
        Assert.Equal(rotated.GetProperty("rawMime").GetString(), (await w.Api.GetJsonAsync("/api/v1/email/inbound")).GetProperty("rawMime").GetString());
        Assert.EndsWith("/hooks/email/ses/" + rotated.GetProperty("rawMime").GetString()!.Split('/')[^1], rotated.GetProperty("ses").GetString());

        using var reader = w.Server.Client(await w.Server.CreateKeyAsync(Scopes.Read));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/email/inbound", ct)).StatusCode);
        using var emailReader = w.Server.Client(await w.Server.CreateKeyAsync(Scopes.EmailRead));
        Assert.Equal(HttpStatusCode.Forbidden, (await emailReader.GetAsync("/api/v1/email/inbound", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await emailReader.GetAsync("/api/v1/email/inbound/events", ct)).StatusCode);
        using var emailWriter = w.Server.Client(await w.Server.CreateKeyAsync(Scopes.EmailWrite));
        Assert.Equal(HttpStatusCode.OK, (await emailWriter.GetAsync("/api/v1/email/inbound", ct)).StatusCode);
        var bad = await w.Api.GetAsync("/api/v1/email/inbound/events?kind=bounce", ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty("kind", out _));
    }
}

public sealed class EmailInboundTestsOnSqlite() : EmailInboundTests(DatabaseProvider.Sqlite);

public sealed class EmailInboundTestsOnPostgres() : EmailInboundTests(DatabaseProvider.Postgres);
