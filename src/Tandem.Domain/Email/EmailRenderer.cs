using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Tandem.Domain.Email;

/// <summary>A template's words before merging.</summary>
public sealed record EmailTemplateContent(string Subject, string? Preheader, string BodyMarkdown);

/// <summary>How the workspace's emails look and whom they come from, as the footer must say.</summary>
public sealed record EmailBrand(string CompanyName, string? BrandColor, string? PhysicalAddress);

/// <summary>
/// What one email carries besides its words. A marketing email has an unsubscribe and a preferences link, an open pixel
/// and a tracked-click rewrite; a transactional one usually only says why it was sent.
/// </summary>
public sealed record EmailExtras(
    string WhyReceiving,
    string? UnsubscribeUrl = null,
    string? PreferencesUrl = null,
    string? OpenPixelUrl = null,
    Func<string, string>? TrackClick = null);

/// <summary>A rendered email: subject, HTML part and plain-text part.</summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// Turns a template and one person's data into an email: merge fields filled (values escaped so they stay text), the
/// Markdown body as HTML inside a table-based layout with inline styles (what mail clients reliably show), and a
/// plain-text part. Raw HTML in a template body is shown as text: templates are Markdown only.
/// </summary>
public static partial class EmailRenderer
{
    public const string DefaultBrandColor = "#2f5bea";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseSoftlineBreakAsHardlineBreak().Build();

    public static RenderedEmail Render(EmailTemplateContent template, MergeData data, EmailBrand brand, EmailExtras extras)
    {
        var subject = MergeFields.OneLine(MergeFields.Apply(template.Subject, data, MergeFields.OneLine));
        var preheader = template.Preheader is { Length: > 0 } p ? MergeFields.OneLine(MergeFields.Apply(p, data, MergeFields.OneLine)) : "";
        var markdown = MergeFields.Apply(template.BodyMarkdown, data, MergeFields.MarkdownLiteral);
        var color = BrandColor(brand.BrandColor);

        var document = Markdown.Parse(markdown, Pipeline);
        if (extras.TrackClick is { } track)
            foreach (var link in document.Descendants<LinkInline>())
                if (!link.IsImage && IsWebUrl(link.Url)) link.Url = track(link.Url!);
        var text = PlainText.Of(document);
        Style(document, color);
        var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();

        return new RenderedEmail(subject, Layout(subject, preheader, writer.ToString(), brand, color, extras), text + TextFooter(brand, extras));
    }

    public static bool IsWebUrl(string? url) =>
        url is not null && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>The brand colour if it is a plain #RRGGBB, else the default (it lands in a style attribute).</summary>
    public static string BrandColor(string? color) => color is not null && HexColor().IsMatch(color) ? color : DefaultBrandColor;

    /// <summary>Inline styles on the body's elements: many mail clients drop a style sheet but keep style attributes.</summary>
    private static void Style(MarkdownDocument document, string color)
    {
        foreach (var node in document.Descendants())
        {
            var style = node switch
            {
                HeadingBlock { Level: 1 } => "margin:0 0 16px;font-size:24px;line-height:1.3;color:#111827;",
                HeadingBlock => "margin:0 0 12px;font-size:18px;line-height:1.3;color:#111827;",
                ParagraphBlock => "margin:0 0 16px;",
                ListBlock => "margin:0 0 16px;padding-left:24px;",
                QuoteBlock => "margin:0 0 16px;padding-left:12px;border-left:3px solid #d1d5db;color:#4b5563;",
                LinkInline { IsImage: true } => "max-width:100%;height:auto;",
                LinkInline => $"color:{color};",
                _ => null,
            };
            if (style is not null) node.GetAttributes().AddProperty("style", style);
        }
    }

    private static string Layout(string subject, string preheader, string body, EmailBrand brand, string color, EmailExtras extras)
    {
        var footer = new StringBuilder();
        footer.Append("<p style=\"margin:0 0 8px;\">").Append(H(extras.WhyReceiving)).Append("</p>");
        if (extras.UnsubscribeUrl is not null || extras.PreferencesUrl is not null)
        {
            footer.Append("<p style=\"margin:0 0 8px;\">");
            if (extras.UnsubscribeUrl is { } u) footer.Append($"<a href=\"{H(u)}\" style=\"color:#6b7280;text-decoration:underline;\">Unsubscribe</a>");
            if (extras.UnsubscribeUrl is not null && extras.PreferencesUrl is not null) footer.Append(" &middot; ");
            if (extras.PreferencesUrl is { } pr) footer.Append($"<a href=\"{H(pr)}\" style=\"color:#6b7280;text-decoration:underline;\">Manage email preferences</a>");
            footer.Append("</p>");
        }
        footer.Append("<p style=\"margin:0;\">").Append(H(brand.CompanyName));
        if (brand.PhysicalAddress is { Length: > 0 } address)
            foreach (var line in address.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                footer.Append("<br>").Append(H(line));
        footer.Append("</p>");
        var pixel = extras.OpenPixelUrl is { } o
            ? $"<img src=\"{H(o)}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0;\">"
            : "";

        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="x-apple-disable-message-reformatting">
            <title>{{H(subject)}}</title>
            <style>@media only screen and (max-width: 620px) { .tandem-container { width: 100% !important; } .tandem-content { padding: 20px !important; } }</style>
            </head>
            <body style="margin:0;padding:0;background-color:#f4f5f7;">
            <div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">{{H(preheader)}}</div>
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f5f7;">
            <tr><td align="center" style="padding:24px 12px;">
            <table role="presentation" class="tandem-container" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;background-color:#ffffff;border-radius:6px;">
            <tr><td style="background-color:{{color}};padding:16px 32px;border-radius:6px 6px 0 0;font-family:Arial,Helvetica,sans-serif;font-size:18px;font-weight:bold;color:#ffffff;">{{H(brand.CompanyName)}}</td></tr>
            <tr><td class="tandem-content" style="padding:32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;">
            {{body}}</td></tr>
            <tr><td style="padding:16px 32px 24px;border-top:1px solid #e5e7eb;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:1.5;color:#6b7280;">{{footer}}</td></tr>
            </table>
            </td></tr>
            </table>
            {{pixel}}
            </body>
            </html>
            """;
    }

    private static string TextFooter(EmailBrand brand, EmailExtras extras)
    {
        var sb = new StringBuilder("\n-- \n");
        sb.Append(extras.WhyReceiving).Append('\n');
        if (extras.UnsubscribeUrl is { } u) sb.Append("Unsubscribe: ").Append(u).Append('\n');
        if (extras.PreferencesUrl is { } p) sb.Append("Email preferences: ").Append(p).Append('\n');
        sb.Append(brand.CompanyName).Append('\n');
        if (brand.PhysicalAddress is { Length: > 0 } address)
            foreach (var line in address.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                sb.Append(line).Append('\n');
        return sb.ToString();
    }

    /// <summary>HTML-escapes text for an element or a quoted attribute, leaving non-ASCII letters as they are (the part is UTF-8).</summary>
    private static string H(string? s) =>
        (s ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex HexColor();
}
