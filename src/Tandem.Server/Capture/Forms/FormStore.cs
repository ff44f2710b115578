using System.Security.Cryptography;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Forms;

internal sealed class FormRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string FormKey { get; set; } = "";
    public string FieldMapping { get; set; } = "{}";
    public string? RedirectUrl { get; set; }
    public string HoneypotField { get; set; } = "";
    public long? CampaignId { get; set; }
    /// <summary>The field carrying consent to marketing email; null reads "consent" or "emailConsent".</summary>
    public string? ConsentField { get; set; }
    /// <summary>The transactional email a submission is answered with at once, if any.</summary>
    public long? ConfirmationTemplateId { get; set; }
    public long CreatedAt { get; set; }

    public Dictionary<string, string> Mapping => Json.Read(FieldMapping, new Dictionary<string, string>());
}

internal sealed record FormDto(long Id, string Name, string FormKey, string Action, IReadOnlyDictionary<string, string> FieldMapping,
    string? RedirectUrl, string HoneypotField, long? CampaignId, string ConsentField, long? ConfirmationTemplateId, DateTimeOffset CreatedAt, string EmbedHtml)
{
    public static FormDto From(FormRow r) => new(r.Id, r.Name, r.FormKey, $"/f/{r.FormKey}", r.Mapping, r.RedirectUrl,
        r.HoneypotField, r.CampaignId, r.ConsentField ?? "consent", r.ConfirmationTemplateId, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), Embed(r));

    /// <summary>A starting point for the page author: visible fields, hidden UTM inputs, and the honeypot hidden from people.</summary>
    private static string Embed(FormRow r)
    {
        var enc = System.Text.Encodings.Web.HtmlEncoder.Default;
        return $"""
            <form method="post" action="/f/{enc.Encode(r.FormKey)}">
              <label>Email <input type="email" name="email" required></label>
              <label>First name <input name="firstName"></label>
              <label>Last name <input name="lastName"></label>
              <label>Company <input name="company"></label>
              <label><input type="checkbox" name="{enc.Encode(r.ConsentField ?? "consent")}" value="yes"> Yes, send me news by email</label>
              <input type="hidden" name="utm_source"><input type="hidden" name="utm_medium"><input type="hidden" name="utm_campaign">
              <div style="position:absolute;left:-9999px" aria-hidden="true"><input name="{enc.Encode(r.HoneypotField)}" tabindex="-1" autocomplete="off"></div>
              <button type="submit">Send</button>
            </form>
            """;
    }
}

internal static class FormStore
{
    public static string NewKey() => "frm_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    public static Task<FormRow?> FindByKeyAsync(Database db, string key, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<FormRow>("SELECT * FROM forms WHERE form_key = @key", new { key }), ct);
}
