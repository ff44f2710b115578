using System.Text;
using Tandem.Server.People;
using Tandem.Server.Storage;
using static Tandem.Server.Email.Consent.PublicPage;

namespace Tandem.Server.Email.Consent;

/// <summary>
/// GET/POST /e/p/{token}: the person's preference page — each topic to leave or rejoin, "unsubscribe from all", and,
/// once unsubscribed, "Subscribe me again" (the only way back from an unsubscribe, see <see cref="PreferenceChanges"/>).
/// </summary>
internal static class PreferencesPage
{
    private const string Purpose = "preferences";

    public static async Task<IResult> Show(string token, EmailLinks links, PageFormTokens forms, Database db, CancellationToken ct)
    {
        var brand = await Brand.ReadAsync(db, ct);
        if (!links.TryReadPreferences(token, out var personId)) return BadLink(brand);
        var state = await db.ReadAsync(c => PreferenceChanges.ReadAsync(c, null, personId), ct);
        return state is null ? BadLink(brand) : await RenderAsync(brand, token, state, forms, null);
    }

    public static async Task<IResult> Submit(string token, HttpContext http, EmailLinks links, PageFormTokens forms, Database db,
        Consequences consequences, Unsubscriber unsubscriber, PreferenceChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var brand = await Brand.ReadAsync(db, ct);
        if (!links.TryReadPreferences(token, out var personId)) return BadLink(brand);
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        if (form is null || !await forms.VerifyAsync(Purpose, personId, form[PageFormTokens.Field].ToString()))
            return new PublicPage(brand, "Please try again",
                "<h1>Please try again</h1><p>This page was open too long, or the request did not come from it. " +
                $"<a href=\"{H(EmailLinkPaths.Preferences + token)}\">Open your preferences again</a>.</p>", StatusCodes.Status400BadRequest);

        var action = form["action"].ToString();
        var wanted = form["topic"].Where(t => t is not null).Select(t => t!).ToHashSet();
        var proof = ConsentProof.From(http, "preference page");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (state, message) = await consequences.WriteAsync<(PreferenceState?, string?)>(async (c, tx) =>
        {
            var state = await PreferenceChanges.ReadAsync(c, tx, personId);
            if (state is null) return (null, null);
            string? message = action switch
            {
                "unsubscribe" => await unsubscriber.UnsubscribeAsync(c, tx, state.PersonId, state.Address, null, proof, now)
                    ? "You are unsubscribed from all marketing email." : "You were already unsubscribed.",
                "resubscribe" when state.Undeliverable && !state.Unsubscribed => null,
                "resubscribe" => await changes.ResubscribeAsync(c, tx, state.PersonId, proof, now)
                    ? "You are subscribed again." : "You were already subscribed.",
                _ => await PreferenceChanges.SetTopicsAsync(c, tx, state, wanted, proof, now) > 0 ? "Your preferences are saved." : "Nothing changed.",
            };
            return (await PreferenceChanges.ReadAsync(c, tx, personId), message);
        }, ct);
        return state is null ? BadLink(brand) : await RenderAsync(brand, token, state, forms, message);
    }

    private static async Task<IResult> RenderAsync(Brand brand, string token, PreferenceState state, PageFormTokens forms, string? message)
    {
        var formToken = await forms.IssueAsync(Purpose, state.PersonId);
        var hidden = $"<input type=\"hidden\" name=\"{PageFormTokens.Field}\" value=\"{H(formToken)}\">";
        var action = H(EmailLinkPaths.Preferences + token);
        var body = new StringBuilder();
        body.Append($"<h1>Email preferences</h1><p>For <strong>{H(state.Address)}</strong></p>");
        if (message is not null) body.Append($"<p class=\"done\" role=\"status\">{H(message)}</p>");
        if (state.Undeliverable)
            body.Append("<p class=\"note\">Email to this address bounced or was reported as unwanted, so none is sent to it. " +
                        $"Please contact {H(brand.CompanyName)} if that was a mistake.</p>");
        if (state.Unsubscribed)
        {
            body.Append($"<p>You are unsubscribed from all marketing email from {H(brand.CompanyName)}.</p>");
            body.Append($"<form method=\"post\" action=\"{action}\">{hidden}<div class=\"actions\">" +
                        "<button type=\"submit\" name=\"action\" value=\"resubscribe\">Subscribe me again</button></div></form>");
            return new PublicPage(brand, "Email preferences", body.ToString());
        }
        body.Append($"<form method=\"post\" action=\"{action}\">{hidden}<fieldset><legend>The emails you get</legend>");
        foreach (var topic in state.Topics)
        {
            var id = "topic-" + H(topic.Key);
            body.Append($"<div class=\"topic\"><input type=\"checkbox\" id=\"{id}\" name=\"topic\" value=\"{H(topic.Key)}\"{(topic.OptedOut ? "" : " checked")}>" +
                        $"<label for=\"{id}\">{H(topic.Name)}{(topic.Description is { } d ? $"<small>{H(d)}</small>" : "")}</label></div>");
        }
        body.Append("</fieldset><div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"save\">Save preferences</button>" +
                    "<button type=\"submit\" name=\"action\" value=\"unsubscribe\" class=\"secondary\">Unsubscribe from all</button></div></form>");
        return new PublicPage(brand, "Email preferences", body.ToString());
    }
}
