using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using MimeKit;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Inbound;

/// <summary>
/// The three public hooks relays and providers post to. Each answers 202 once what arrived is recorded — matched or
/// not — so the sender does not retry it; a wrong secret answers 404, as for any path that does not exist.
/// </summary>
internal static class InboundHooks
{
    public sealed record Accepted(IReadOnlyList<AcceptedEvent> Events);

    public sealed record AcceptedEvent(long Id, string Kind, long? SendId, long? PersonId, bool Duplicate);

    /// <summary>
    /// POST /hooks/email/inbound/{secret}: a raw RFC 5322 message as the body (Postfix's pipe, a relay), or a form with
    /// the raw message in its "email" field (SendGrid Inbound Parse with "POST the raw, full MIME message").
    /// </summary>
    public static async Task<Results<Accepted<Accepted>, ValidationProblem, ProblemHttpResult>> RawMime(string secret, HttpContext http, Database db,
        RecordInbound record, InboundOptions options, CancellationToken ct)
    {
        if (!await InboundSecret.MatchesAsync(db, secret, ct)) return NotFound();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = options.MaxMessageBytes;

        byte[] raw;
        var envelope = new List<string>();
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(
                new FormOptions { ValueLengthLimit = (int)Math.Min(options.MaxMessageBytes, int.MaxValue), MultipartBodyLengthLimit = options.MaxMessageBytes }, ct);
            var email = form["email"].ToString();
            if (email.Length == 0 && form.Files.GetFile("email") is { } file)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct);
                email = Encoding.UTF8.GetString(buffer.ToArray());
            }
            if (email.Length == 0) return Problems.Field("email", "A form post must carry the raw MIME message in its 'email' field.");
            raw = Encoding.UTF8.GetBytes(email);
            envelope.AddRange(EnvelopeRecipients(form["envelope"].ToString()));
            envelope.AddRange(form["to"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct);
            raw = buffer.ToArray();
        }
        if (raw.Length == 0) return Problems.Field("body", "The body must be a raw RFC 5322 message.");

        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(new MemoryStream(raw), ct);
        }
        catch (FormatException e)
        {
            return Problems.Field("body", $"Not an RFC 5322 message: {e.Message}");
        }
        var findings = MimeInbound.Read(message, raw, envelope);
        return Accept(await record.RecordAsync(InboundSources.RawMime, findings, Encoding.UTF8.GetString(raw), ct));
    }

    /// <summary>POST /hooks/email/sendgrid/{secret}: SendGrid's Event Webhook, a JSON array of events.</summary>
    public static Task<Results<Accepted<Accepted>, ValidationProblem, ProblemHttpResult>> SendGrid(string secret, HttpContext http, Database db,
        RecordInbound record, CancellationToken ct) =>
        JsonHook(secret, http, db, record, InboundSources.SendGrid, SendGridEvents.Read, "a JSON array of SendGrid events", ct);

    /// <summary>POST /hooks/email/ses/{secret}: Amazon SNS posting Amazon SES notifications (text/plain JSON).</summary>
    public static Task<Results<Accepted<Accepted>, ValidationProblem, ProblemHttpResult>> Ses(string secret, HttpContext http, Database db,
        RecordInbound record, CancellationToken ct) =>
        JsonHook(secret, http, db, record, InboundSources.Ses, SesNotifications.Read, "an Amazon SNS message in JSON", ct);

    private static async Task<Results<Accepted<Accepted>, ValidationProblem, ProblemHttpResult>> JsonHook(string secret, HttpContext http, Database db,
        RecordInbound record, string source, Func<JsonElement, IReadOnlyList<InboundFinding>> read, string expected, CancellationToken ct)
    {
        if (!await InboundSecret.MatchesAsync(db, secret, ct)) return NotFound();
        // Read as text whatever the content type says: SNS posts JSON as text/plain.
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        IReadOnlyList<InboundFinding> findings;
        try
        {
            using var doc = JsonDocument.Parse(body);
            findings = read(doc.RootElement);
        }
        catch (JsonException e)
        {
            return Problems.Field("body", $"Must be {expected}: {e.Message}");
        }
        return Accept(await record.RecordAsync(source, findings, body, ct));
    }

    private static Accepted<Accepted> Accept(IReadOnlyList<RecordedInbound> recorded) =>
        TypedResults.Accepted((string?)null, new Accepted(recorded.Select(r => new AcceptedEvent(r.Id, r.Kind, r.SendId, r.PersonId, r.Duplicate)).ToList()));

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: 404, title: "Not found.", detail: "There is nothing at this address.");

    /// <summary>SendGrid Inbound Parse's "envelope" field: {"to":["reply+…@…"],"from":"…"}.</summary>
    private static IEnumerable<string> EnvelopeRecipients(string envelope)
    {
        if (envelope.Length == 0) return [];
        try
        {
            using var doc = JsonDocument.Parse(envelope);
            return doc.RootElement.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.Array
                ? to.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
