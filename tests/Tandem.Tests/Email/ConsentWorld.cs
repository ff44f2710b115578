using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Email;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Email;

/// <summary>A server with a branded workspace, one person and one email sent to them, for the public pages and tracking.</summary>
internal sealed partial class ConsentWorld : IAsyncDisposable
{
    private ConsentWorld(TandemServer server, HttpClient api, ManualClock clock, long personId, long sendId)
    {
        Server = server;
        Api = api;
        Clock = clock;
        PersonId = personId;
        SendId = sendId;
    }

    public TandemServer Server { get; }
    public HttpClient Api { get; }
    public ManualClock Clock { get; }
    public long PersonId { get; }
    public long SendId { get; }
    public Database Db => Server.Database;
    public EmailLinks Links => Server.Services.GetRequiredService<EmailLinks>();

    public static async Task<ConsentWorld> StartAsync(DatabaseProvider provider, string email = "ada@example.com")
    {
        var clock = new ManualClock();
        var server = await TandemServer.StartAsync(provider, clock);
        var api = await server.AdminClientAsync();
        var person = await api.CaptureLeadAsync(new { email, firstName = "Ada", lastName = "Lovelace" });
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO workspace_settings (key, value) VALUES ('email.company_name', 'ACME'), ('email.brand_color', '#c0392b')", transaction: tx));
        var sendId = await SendAsync(server.Database, person.Id(), email, clock.GetUtcNow().ToUnixTimeMilliseconds());
        return new ConsentWorld(server, api, clock, person.Id(), sendId);
    }

    /// <summary>Records a sent marketing email the way the sender leaves it once the relay accepted it.</summary>
    public static Task<long> SendAsync(Database db, long personId, string to, long sentAt) => db.WriteAsync(async (c, tx) =>
    {
        var templateId = await c.ExecuteScalarAsync<long>(
            "INSERT INTO email_templates (name, kind, topic, subject, body_markdown, created_at, updated_at) " +
            "VALUES (@name, 'marketing', 'newsletter', 'Hello', 'Hello there', @sentAt, @sentAt) RETURNING id",
            new { name = "welcome " + Guid.NewGuid().ToString("N"), sentAt }, tx);
        return await c.ExecuteScalarAsync<long>(
            "INSERT INTO email_sends (person_id, template_id, kind, topic, program_id, enrollment_id, step_key, to_address, from_address, subject, " +
            "text_body, html_body, message_id, reply_token, status, queued_at, next_attempt_at, sent_at) VALUES (@personId, @templateId, 'marketing', " +
            "'newsletter', 7, NULL, 'welcome-1', @to, 'news@acme.example', 'Hello', 'Hello there', '<p>Hello there</p>', @messageId, @replyToken, 'sent', " +
            "@sentAt, @sentAt, @sentAt) RETURNING id",
            new { personId, templateId, to, sentAt, messageId = Guid.NewGuid().ToString("N") + "@acme.example", replyToken = Guid.NewGuid().ToString("N") }, tx);
    });

    /// <summary>A browser that keeps no cookies, as a mail client's one-click POST is.</summary>
    public HttpClient Browser() => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(Server.BaseUrl) };

    public static string PathOf(string url) => new Uri(url).PathAndQuery;

    /// <summary>The signed form token of a page's form.</summary>
    public static string FormToken(string html) => FormTokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("The page has no form token: " + html);

    public Task<long> CountAsync(string sql, object? args = null) => Db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), TestContext.Current.CancellationToken);

    public Task<T> ScalarAsync<T>(string sql, object? args = null) => Db.ReadAsync(c => c.ExecuteScalarAsync<T>(sql, args), TestContext.Current.CancellationToken)!;

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }

    [GeneratedRegex("name=\"__form\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenField();
}
