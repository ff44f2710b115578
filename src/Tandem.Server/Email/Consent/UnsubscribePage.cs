using Dapper;
using Tandem.Server.Email.Tracking;
using Tandem.Server.People;
using Tandem.Server.Storage;
using static Tandem.Server.Email.Consent.PublicPage;

namespace Tandem.Server.Email.Consent;

/// <summary>
/// GET /e/u/{token}: asks before unsubscribing (a link scanner that follows every link must not unsubscribe anyone).
/// POST /e/u/{token}: the page's button, or RFC 8058's one-click POST from a mail client — a body of
/// <c>List-Unsubscribe=One-Click</c>, no cookies, no page token — unsubscribes from all marketing email.
/// </summary>
internal static class UnsubscribePage
{
    private const string Purpose = "unsubscribe";

    public static async Task<IResult> Show(string token, EmailLinks links, PageFormTokens forms, Database db, CancellationToken ct)
    {
        var brand = await Brand.ReadAsync(db, ct);
        if (!links.TryReadUnsubscribe(token, out var sendId)) return BadLink(brand);
        var send = await db.ReadAsync(c => TrackedSend.FindAsync(c, null, sendId), ct);
        if (send is null) return BadLink(brand);
        var already = await db.ReadAsync(async c =>
            (await EmailSuppressions.ReasonsAsync(c, null, send.ToAddress)).Contains(SuppressionReasons.Unsubscribed), ct);
        var preferences = links.PreferencesUrl(send.PersonId);
        if (already)
            return new PublicPage(brand, "You are unsubscribed",
                $"<h1>You are unsubscribed</h1><p><strong>{H(send.ToAddress)}</strong> gets no marketing email from {H(brand.CompanyName)}.</p>" +
                $"<p><a href=\"{H(preferences)}\">Manage your email preferences</a></p>");
        var formToken = await forms.IssueAsync(Purpose, sendId);
        return new PublicPage(brand, "Unsubscribe",
            $"<h1>Unsubscribe</h1><p>Unsubscribe <strong>{H(send.ToAddress)}</strong> from all marketing email from <strong>{H(brand.CompanyName)}</strong>?</p>" +
            $"<form method=\"post\" action=\"{H(EmailLinkPaths.Unsubscribe + token)}\"><input type=\"hidden\" name=\"{PageFormTokens.Field}\" value=\"{H(formToken)}\">" +
            "<div class=\"actions\"><button type=\"submit\">Unsubscribe</button></div></form>" +
            $"<p>Or <a href=\"{H(preferences)}\">choose which emails you get</a> instead.</p>");
    }

    public static async Task<IResult> Submit(string token, HttpContext http, EmailLinks links, PageFormTokens forms, Database db,
        Consequences consequences, Unsubscriber unsubscriber, TimeProvider clock, CancellationToken ct)
    {
        var brand = await Brand.ReadAsync(db, ct);
        if (!links.TryReadUnsubscribe(token, out var sendId)) return BadLink(brand);
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        var oneClick = string.Equals(form?["List-Unsubscribe"].ToString(), "One-Click", StringComparison.OrdinalIgnoreCase);
        if (!oneClick && !await forms.VerifyAsync(Purpose, sendId, form?[PageFormTokens.Field].ToString()))
            return new PublicPage(brand, "Please try again",
                "<h1>Please try again</h1><p>This page was open too long, or the request did not come from it. " +
                $"<a href=\"{H(EmailLinkPaths.Unsubscribe + token)}\">Open the unsubscribe page again</a>.</p>", StatusCodes.Status400BadRequest);

        var proof = ConsentProof.From(http, oneClick ? "one-click unsubscribe" : "unsubscribe page");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var send = await consequences.WriteAsync(async (c, tx) =>
        {
            var send = await TrackedSend.FindAsync(c, tx, sendId);
            if (send is not null) await unsubscriber.UnsubscribeAsync(c, tx, send.PersonId, send.ToAddress, send, proof, now);
            return send;
        }, ct);
        if (send is null) return BadLink(brand);
        return new PublicPage(brand, "You are unsubscribed",
            $"<h1>You are unsubscribed</h1><p class=\"done\"><strong>{H(send.ToAddress)}</strong> will get no more marketing email from {H(brand.CompanyName)}.</p>" +
            "<p>You may still get emails that answer something you do, such as a reply to a request you make.</p>" +
            $"<p>Changed your mind? <a href=\"{H(links.PreferencesUrl(send.PersonId))}\">Manage your email preferences</a>.</p>");
    }
}
