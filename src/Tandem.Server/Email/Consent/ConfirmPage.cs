using Tandem.Server.People;
using Tandem.Server.Storage;
using static Tandem.Server.Email.Consent.PublicPage;

namespace Tandem.Server.Email.Consent;

/// <summary>
/// GET /e/confirm/{token}: the double opt-in link. A pending consent becomes opted_in with <c>confirmed_at</c>; the proof
/// of where consent was asked (form, page, IP) stays on the row, and the confirming click's own IP and browser go to
/// the log. It never undoes an unsubscribe made since: only the preference page's re-subscribe does.
/// </summary>
internal static class ConfirmPage
{
    public static async Task<IResult> Show(string token, HttpContext http, EmailLinks links, Database db, Consequences consequences,
        TimeProvider clock, CancellationToken ct)
    {
        var brand = await Brand.ReadAsync(db, ct);
        if (!links.TryReadConfirm(token, out var personId)) return BadLink(brand);
        var click = ConsentProof.From(http, "opt-in confirmation link");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var outcome = await consequences.WriteAsync<(string? Address, bool Unsubscribed)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, personId);
            if (person?.Email is not { } address) return (null, false);
            if (person.Unsubscribed != 0 || (await EmailSuppressions.ReasonsAsync(c, tx, address)).Contains(SuppressionReasons.Unsubscribed))
                return (address, true);
            var consent = await ConsentStore.FindAsync(c, tx, person.Id);
            if (consent is { Status: ConsentStatus.OptedIn, ConfirmedAt: not null }) return (address, false);
            var basis = consent?.Basis ?? ConsentBasis.Consent;
            var proof = consent is null ? click : new ConsentProof(consent.Source, consent.Ip, consent.UserAgent, consent.Form, consent.PageUrl);
            await ConsentStore.SaveAsync(c, tx, person.Id, ConsentStatus.OptedIn, basis, proof, consent?.RequestedAt, now, now);
            await ConsentStore.LogAsync(c, tx, person.Id, "confirmed", click, now, basis, detail: $"confirmed {address} by the opt-in link");
            return (address, false);
        }, ct);
        if (outcome.Address is null) return BadLink(brand);
        if (outcome.Unsubscribed)
            return new PublicPage(brand, "You are unsubscribed",
                $"<h1>You are unsubscribed</h1><p><strong>{H(outcome.Address)}</strong> unsubscribed from marketing email from {H(brand.CompanyName)}. " +
                $"To get it again, <a href=\"{H(links.PreferencesUrl(personId))}\">subscribe again on your preference page</a>.</p>");
        return new PublicPage(brand, "You're subscribed",
            $"<h1>You're subscribed</h1><p class=\"done\">Thank you. <strong>{H(outcome.Address)}</strong> is confirmed for email from {H(brand.CompanyName)}.</p>" +
            $"<p><a href=\"{H(links.PreferencesUrl(personId))}\">Choose which emails you get</a></p>");
    }
}
