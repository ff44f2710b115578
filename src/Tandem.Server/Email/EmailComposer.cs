using Tandem.Domain.Email;

namespace Tandem.Server.Email;

/// <summary>
/// What one email says and carries. Marketing email gets the signed unsubscribe and preferences links, an open pixel and
/// every web link rewritten through the signed click redirect. Transactional email (a confirmation someone just asked
/// for) is not tracked at all: it is not counted as engagement, and an opt-in confirmation link must reach its page
/// unchanged.
/// </summary>
internal static class EmailComposer
{
    public static RenderedEmail Compose(EmailTemplateContent template, MergeData data, EmailKind kind, EmailSettings settings, EmailLinks links,
        long sendId, long personId)
    {
        var company = settings.DisplayCompany;
        var extras = kind == EmailKind.Marketing
            ? new EmailExtras($"You are receiving this email because you subscribed to news from {company}.",
                links.UnsubscribeUrl(sendId), links.PreferencesUrl(personId), links.OpenPixelUrl(sendId), url => links.ClickUrl(sendId, url))
            : new EmailExtras($"You are receiving this email because of something you asked {company} for.");
        return EmailRenderer.Render(template, data, settings.Brand, extras);
    }
}
