using System.Text;
using System.Text.Encodings.Web;

namespace Tandem.Server.Capture.Forms;

/// <summary>
/// The HTML a visitor meets: the snippet to paste into a website, the form's own page at /f/{key} and the thank-you
/// page. Every value that came from a person (names, labels, messages, query strings) is HTML-encoded.
/// </summary>
internal static class FormHtml
{
    private static readonly HtmlEncoder Enc = HtmlEncoder.Default;
    private static readonly string[] HiddenTouch = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer", "landing_page"];

    /// <summary>A starting point for the page author: the form's fields (or, for a form built by its website, the usual ones), hidden UTM inputs, and the honeypot hidden from people.</summary>
    /// <param name="root">Where Tandem is reached from outside ("https://tandem.example"), so the snippet works on another site; empty for a relative action.</param>
    public static string Embed(FormRow form, string root) => Form(form, root, touch: null) + "\n";

    /// <summary>The form's own page: the same form, with the visit's UTM tags carried into the hidden inputs.</summary>
    public static string HostedPage(FormRow form, IReadOnlyDictionary<string, string?> touch) =>
        Page(form.Name, $"<h1>{Enc.Encode(form.Name)}</h1>\n{Form(form, "", touch)}");

    public static string ThankYou(FormRow form) =>
        Page("Thank you", form.ConfirmationMessage is { } message
            ? $"<h1>Thank you</h1>\n<p data-testid=\"form-confirmation\">{Enc.Encode(message).Replace("&#xA;", "<br>")}</p>"
            : $"<h1>Thank you</h1>\n<p data-testid=\"form-confirmation\">{Enc.Encode(form.Name)} was received.</p>");

    private static string Form(FormRow form, string root, IReadOnlyDictionary<string, string?>? touch)
    {
        var html = new StringBuilder();
        html.Append($"<form method=\"post\" action=\"{Enc.Encode(root)}/f/{Enc.Encode(form.FormKey)}\">\n");
        IReadOnlyList<FormField> fields = form.Declared.Count > 0 ? form.Declared
            : [new("email", "Email", true), new("firstName", "First name", false), new("lastName", "Last name", false), new("company", "Company", false)];
        foreach (var f in fields)
        {
            var id = "tdm-" + f.Field.Replace('.', '-');
            var autocomplete = FormFieldNames.Autocomplete(f.Field) is { } a ? $" autocomplete=\"{a}\"" : "";
            html.Append($"  <p><label for=\"{Enc.Encode(id)}\">{Enc.Encode(f.Shown)}{(f.Required ? " *" : "")}</label><br>")
                .Append($"<input id=\"{Enc.Encode(id)}\" name=\"{Enc.Encode(f.Field)}\" type=\"{FormFieldNames.InputType(f.Field)}\"{autocomplete}{(f.Required ? " required" : "")}></p>\n");
        }
        html.Append($"  <p><label><input type=\"checkbox\" name=\"{Enc.Encode(form.ConsentField ?? "consent")}\" value=\"yes\"> Yes, send me news by email</label></p>\n  ");
        foreach (var name in HiddenTouch)
        {
            var value = touch is not null && touch.TryGetValue(name, out var v) && v is not null ? $" value=\"{Enc.Encode(v)}\"" : "";
            html.Append($"<input type=\"hidden\" name=\"{name}\"{value}>");
        }
        html.Append('\n')
            .Append($"  <div style=\"position:absolute;left:-9999px\" aria-hidden=\"true\"><input name=\"{Enc.Encode(form.HoneypotField)}\" tabindex=\"-1\" autocomplete=\"off\"></div>\n")
            .Append("  <button type=\"submit\">Send</button>\n</form>");
        return html.ToString();
    }

    private static string Page(string title, string body) => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Enc.Encode(title)}</title>
        <style>
        body {"{"} font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 2rem 1rem; background: #f6f7f9; color: #1b1f24; {"}"}
        main {"{"} max-width: 32rem; margin: 0 auto; background: #fff; border-radius: 8px; padding: 1.5rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); {"}"}
        h1 {"{"} font-size: 1.5rem; margin-top: 0; {"}"}
        input:not([type=checkbox]) {"{"} width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; border: 1px solid #c4c9d0; border-radius: 6px; {"}"}
        button {"{"} font: inherit; padding: .6rem 1.2rem; border: 0; border-radius: 6px; background: #2f5bea; color: #fff; cursor: pointer; {"}"}
        </style>
        </head>
        <body><main>
        {body}
        </main></body>
        </html>
        """;
}
