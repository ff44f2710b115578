using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Consent;

/// <summary>How the public pages look: the company's name and colour from the workspace's email settings.</summary>
internal sealed partial record Brand(string CompanyName, string Color, string? PhysicalAddress)
{
    public const string DefaultColor = "#1f5f99";

    /// <summary>Reads <c>email.company_name</c> (else <c>email.from_name</c>), <c>email.brand_color</c> and <c>email.physical_address</c>.</summary>
    public static async Task<Brand> ReadAsync(Database db, CancellationToken ct)
    {
        var settings = (await db.ReadAsync(c => c.QueryAsync<(string Key, string Value)>(
                "SELECT key, value FROM workspace_settings WHERE key IN ('email.company_name', 'email.from_name', 'email.brand_color', 'email.physical_address')"), ct))
            .ToDictionary(s => s.Key, s => s.Value);
        string? Get(string key) => settings.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var color = Get("email.brand_color") is { } c && HexColor().IsMatch(c) ? c : DefaultColor;
        return new Brand(Get("email.company_name") ?? Get("email.from_name") ?? "us", color, Get("email.physical_address"));
    }

    /// <summary>Black or white, whichever reads better on the brand colour (WCAG relative luminance).</summary>
    public string TextOnColor
    {
        get
        {
            var hex = Color[1..];
            if (hex.Length == 3) hex = string.Concat(hex.Select(ch => new string(ch, 2)));
            double Channel(int i)
            {
                var v = int.Parse(hex.AsSpan(i * 2, 2), NumberStyles.HexNumber) / 255.0;
                return v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
            }
            var luminance = 0.2126 * Channel(0) + 0.7152 * Channel(1) + 0.0722 * Channel(2);
            return (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) ? "#ffffff" : "#111111";
        }
    }

    [GeneratedRegex("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();
}

/// <summary>
/// A public page (unsubscribe, preferences, confirmation) in the company's colours, not Tandem's: one small, accessible,
/// mobile-friendly HTML document with no scripts. Every value put in it goes through <see cref="H"/>.
/// </summary>
internal sealed class PublicPage(Brand brand, string title, string bodyHtml, int status = StatusCodes.Status200OK) : IResult
{
    /// <summary>HTML-encodes a value for the page.</summary>
    public static string H(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <summary>A page for a link that is not ours or was altered: it says so in words and never whether an address is known.</summary>
    public static PublicPage BadLink(Brand brand) => new(brand, "This link does not work",
        "<h1>This link does not work</h1><p>The link is incomplete or was changed after it was sent. Open it again from the email, " +
        "or copy the whole address into your browser.</p>", StatusCodes.Status400BadRequest);

    public async Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        // The pages carry a personal token in their address: never cache them, never pass the address on, never index.
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers.ContentSecurityPolicy =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        await response.WriteAsync(Render(), Encoding.UTF8);
    }

    public string Render() => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{H(title)}} · {{H(brand.CompanyName)}}</title>
        <style>
        :root { --brand: {{brand.Color}}; --on-brand: {{brand.TextOnColor}}; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #f4f4f5; }
        header { background: var(--brand); color: var(--on-brand); padding: 1rem 1.25rem; font-weight: 700; font-size: 1.15rem; }
        main { max-width: 34rem; margin: 1.5rem auto; padding: 1.5rem 1.25rem; background: #fff; border-radius: .5rem; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
        h1 { font-size: 1.4rem; line-height: 1.3; margin: 0 0 1rem; }
        a { color: #0b4f8a; }
        button { font: inherit; font-weight: 600; min-height: 2.75rem; padding: .6rem 1.2rem; border: 0; border-radius: .375rem;
                 background: var(--brand); color: var(--on-brand); cursor: pointer; }
        button.secondary { background: #fff; color: #1b1b1b; border: 2px solid #6b6b6b; }
        button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
        fieldset { border: 1px solid #d4d4d8; border-radius: .375rem; padding: .75rem 1rem; margin: 0 0 1rem; }
        legend { font-weight: 600; padding: 0 .25rem; }
        .topic { display: flex; gap: .75rem; align-items: flex-start; padding: .5rem 0; }
        .topic input { width: 1.35rem; height: 1.35rem; margin-top: .2rem; flex: none; }
        .topic small { display: block; color: #52525b; }
        .note { background: #fef9c3; border-left: 4px solid #a16207; padding: .6rem .8rem; }
        .done { background: #dcfce7; border-left: 4px solid #15803d; padding: .6rem .8rem; }
        .actions { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
        footer { max-width: 34rem; margin: 0 auto 2rem; padding: 0 1.25rem; color: #52525b; font-size: .875rem; }
        </style>
        </head>
        <body>
        <header>{{H(brand.CompanyName)}}</header>
        <main>
        {{bodyHtml}}
        </main>
        <footer>{{(brand.PhysicalAddress is { } address ? H(brand.CompanyName) + " · " + H(address) : H(brand.CompanyName))}}</footer>
        </body>
        </html>
        """;
}
