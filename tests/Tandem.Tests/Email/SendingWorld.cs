using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Email;
using Tandem.Server.Email;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Email;

/// <summary>A workspace set up to send email: settings, templates and queued sends, written as the server would.</summary>
internal static class SendingWorld
{
    public static readonly EmailSettings Lumen = new("Lumen", "news@lumen.io", "hello@lumen.io", "Lumen GmbH\nHauptstraße 1\n10115 Berlin",
        false, null, "Lumen", "#ff6600");

    public static Task ConfigureAsync(this TandemServer server, EmailSettings? settings = null) =>
        server.Database.WriteAsync((c, tx) => (settings ?? Lumen).WriteAsync(c, tx));

    public static Task<long> CreateTemplateAsync(this TandemServer server, string name, string kind = "marketing", string? topic = null,
        string subject = "Hello {{firstName | default: \"there\"}}", string body = "Hi {{firstName | default: \"there\"}}, see [pricing](https://lumen.io/pricing).") =>
        server.Database.WriteAsync((c, tx) => c.QuerySingleAsync<long>(
            "INSERT INTO email_templates (name, kind, topic, subject, preheader, body_markdown, created_at, updated_at) " +
            "VALUES (@name, @kind, @topic, @subject, 'A short preview', @body, 0, 0) RETURNING id", new { name, kind, topic, subject, body }, tx));

    public static Task<EmailQueueOutcome> QueueAsync(this TandemServer server, EmailRequest request, TimeProvider clock) =>
        server.Database.WriteAsync((c, tx) =>
            server.Services.GetRequiredService<IEmailQueue>().QueueAsync(c, tx, request, clock.GetUtcNow().ToUnixTimeMilliseconds()));

    public static Task<EmailQueueOutcome> QueueAsync(this TandemServer server, long personId, long templateId, TimeProvider clock,
        EmailKind kind = EmailKind.Marketing) =>
        server.QueueAsync(new EmailRequest(personId, templateId, kind), clock);

    public static Task<long> CountAsync(this Database db, string sql, object? args = null) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args));

    public static Task ExecAsync(this Database db, string sql, object? args = null) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(sql, args, tx));

    public static FrequencyCap Cap(string text) => FrequencyCap.Parse(text)!;
}
