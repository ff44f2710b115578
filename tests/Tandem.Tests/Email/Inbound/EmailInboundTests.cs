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

/// <summary>
/// The inbound hooks end to end, on SQLite and PostgreSQL: a server whose person events are logged, an email it "sent",
/// and the ways a bounce, complaint or reply arrives. <see cref="EmailBounceTests"/>, <see cref="EmailReplyTests"/> and
/// <see cref="EmailProviderHookTests"/> use it.
/// </summary>
public abstract class EmailInboundTests(DatabaseProvider provider)
{
    private protected sealed record World(TandemServer Server, HttpClient Api, EmailEventLog Events, JsonElement Hooks) : IAsyncDisposable
    {
        public Database Db => Server.Database;

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            await Server.DisposeAsync();
        }
    }

    private protected async Task<World> StartAsync()
    {
        var log = new EmailEventLog();
        var server = await TandemServer.StartAsync(provider, new ManualClock(), services: s => s.AddSingleton<IPersonEventHandler>(log));
        var api = await server.AdminClientAsync();
        return new(server, api, log, await api.GetJsonAsync("/api/v1/email/inbound"));
    }

    /// <summary>A person and an email Tandem sent them, as the sender leaves it: status sent, our Message-ID and reply token.</summary>
    private protected static async Task<long> SentEmailAsync(World w, long sendId, string email, string messageId, string replyToken, long? programId = null)
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

    private protected static async Task<JsonElement> PostAsync(HttpClient client, string url, HttpContent content, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var response = await client.PostAsync(url, content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private protected static Task<JsonElement> PostMimeAsync(World w, string fixture) =>
        PostAsync(w.Api, w.Hooks.GetProperty("rawMime").GetString()!, Mime(File.ReadAllBytes(InboundParserTests.Fixture(fixture))));

    private protected static Task<JsonElement> PostJsonAsync(World w, string hook, string fixture) =>
        // SNS posts its JSON as text/plain; SendGrid as application/json. Both are read as written.
        PostAsync(w.Api, w.Hooks.GetProperty(hook).GetString()!,
            new StringContent(File.ReadAllText(InboundParserTests.Fixture(fixture)), Encoding.UTF8, hook == "ses" ? "text/plain" : "application/json"));

    private protected static ByteArrayContent Mime(byte[] raw)
    {
        var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return content;
    }

    private protected static Task<T> One<T>(World w, string sql, object? args = null) => w.Db.ReadAsync(c => c.QuerySingleAsync<T>(sql, args));

    private protected static async Task<IReadOnlyList<string>> SuppressionsAsync(World w, string address) =>
        (await w.Db.ReadAsync(c => c.QueryAsync<string>("SELECT reason || ': ' || source FROM email_suppressions WHERE address = @address ORDER BY id",
            new { address }))).ToList();

    private protected static async Task<IReadOnlyList<JsonElement>> ActivitiesAsync(World w, long person, string type) =>
        (await w.Db.ReadAsync(c => c.QueryAsync<string>("SELECT properties FROM activities WHERE person_id = @person AND type = @type ORDER BY id",
            new { person, type }))).Select(p => JsonDocument.Parse(p).RootElement.Clone()).ToList();
}
