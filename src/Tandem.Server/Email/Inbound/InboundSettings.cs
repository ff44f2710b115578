using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Inbound;

/// <summary>The hooks' addresses for an administrator to paste into Postfix, SendGrid and SNS; rotating the secret; the event log.</summary>
internal static class InboundSettings
{
    public sealed record HookUrls(string RawMime, string SendGrid, string Ses);

    public sealed record InboundEventDto(long Id, string Source, string Kind, long? SendId, long? PersonId, string? Address, string Detail,
        string? ProviderEventId, string? RawExcerpt, DateTimeOffset ReceivedAt);

    private sealed record Row(long Id, string Source, string Kind, long? SendId, long? PersonId, string? Address, string Detail, string? ProviderEventId,
        string? RawExcerpt, long ReceivedAt)
    {
        public InboundEventDto ToDto() =>
            new(Id, Source, Kind, SendId, PersonId, Address, Detail, ProviderEventId, RawExcerpt, DateTimeOffset.FromUnixTimeMilliseconds(ReceivedAt));
    }

    /// <summary>GET /api/v1/email/inbound: the full hook URLs, secret included (generated on first use).</summary>
    public static async Task<Ok<HookUrls>> Get(HttpContext http, Database db, CancellationToken ct) =>
        TypedResults.Ok(Urls(http, await InboundSecret.LoadOrCreateAsync(db, ct)));

    /// <summary>POST /api/v1/email/inbound/rotate: a new secret; the old URLs answer 404 from now on.</summary>
    public static async Task<Ok<HookUrls>> Rotate(HttpContext http, Database db, CancellationToken ct) =>
        TypedResults.Ok(Urls(http, await InboundSecret.RotateAsync(db, ct)));

    /// <summary>GET /api/v1/email/inbound/events?kind=&amp;limit=: what arrived, newest first.</summary>
    public static async Task<Results<Ok<IReadOnlyList<InboundEventDto>>, ValidationProblem>> Events(string? kind, int? limit, Database db,
        CancellationToken ct)
    {
        var v = new Validation();
        if (kind is not null && !InboundKinds.All.Contains(kind)) v.Add("kind", $"Unknown kind '{kind}'; use one of {string.Join(", ", InboundKinds.All)}.");
        if (limit is < 1 or > 500) v.Add("limit", "Must be between 1 and 500.");
        if (!v.IsValid) return v.ToProblem();
        var rows = await db.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT id, source, kind, send_id, person_id, address, detail, provider_event_id, raw_excerpt, received_at FROM email_inbound_events " +
            (kind is null ? "" : "WHERE kind = @kind ") + "ORDER BY id DESC LIMIT @limit", new { kind, limit = limit ?? 50 }), ct);
        return TypedResults.Ok<IReadOnlyList<InboundEventDto>>(rows.Select(r => r.ToDto()).ToList());
    }

    /// <summary>
    /// The public base is the one email links use when the email module provides it (the address the outside world
    /// reaches Tandem by); otherwise the address this request came in on.
    /// </summary>
    private static HookUrls Urls(HttpContext http, string secret)
    {
        var links = http.RequestServices.GetService<EmailLinks>();
        var root = links?.PublicBaseUrl ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}".TrimEnd('/');
        return new($"{root}/hooks/email/inbound/{secret}", $"{root}/hooks/email/sendgrid/{secret}", $"{root}/hooks/email/ses/{secret}");
    }
}
