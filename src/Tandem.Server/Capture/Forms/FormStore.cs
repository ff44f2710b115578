using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Forms;

/// <summary>One field a form asks for: the person field it fills (email, a standard field or custom.&lt;name&gt;), what the visitor reads, and whether it must be filled.</summary>
internal sealed record FormField(string Field, string? Label, bool Required)
{
    /// <summary>What the visitor reads beside the input: the label, or the field's own name in words.</summary>
    [JsonIgnore] public string Shown => string.IsNullOrWhiteSpace(Label) ? FormFieldNames.Describe(Field) : Label;
}

internal sealed class FormRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string FormKey { get; set; } = "";
    public string FieldMapping { get; set; } = "{}";
    /// <summary>The fields the form asks for, in order (JSON); empty for a form created with only a field mapping.</summary>
    public string Fields { get; set; } = "[]";
    public string? RedirectUrl { get; set; }
    /// <summary>Shown on the thank-you page when the form does not redirect.</summary>
    public string? ConfirmationMessage { get; set; }
    public string HoneypotField { get; set; } = "";
    public long? CampaignId { get; set; }
    /// <summary>The field carrying consent to marketing email; null reads "consent" or "emailConsent".</summary>
    public string? ConsentField { get; set; }
    /// <summary>The transactional email a submission is answered with at once, if any.</summary>
    public long? ConfirmationTemplateId { get; set; }
    public long CreatedAt { get; set; }
    public long? UpdatedAt { get; set; }

    public Dictionary<string, string> Mapping => Json.Read(FieldMapping, new Dictionary<string, string>());

    public IReadOnlyList<FormField> Declared => Json.Read(Fields, new List<FormField>());

    /// <summary>Only a form whose fields were declared has a page of its own at /f/{key}: Tandem knows what to ask.</summary>
    public bool HasHostedPage => Declared.Count > 0;
}

internal sealed record FormDto(long Id, string Name, string FormKey, string Action, IReadOnlyDictionary<string, string> FieldMapping,
    IReadOnlyList<FormField> Fields, string? RedirectUrl, string? ConfirmationMessage, string HoneypotField, long? CampaignId, string ConsentField,
    long? ConfirmationTemplateId, DateTimeOffset CreatedAt, string? HostedPage, string EmbedHtml)
{
    public static FormDto From(FormRow r) => new(r.Id, r.Name, r.FormKey, $"/f/{r.FormKey}", r.Mapping, r.Declared, r.RedirectUrl,
        r.ConfirmationMessage, r.HoneypotField, r.CampaignId, r.ConsentField ?? "consent", r.ConfirmationTemplateId,
        DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), r.HasHostedPage ? $"/f/{r.FormKey}" : null, FormHtml.Embed(r, ""));
}

internal static class FormStore
{
    public static string NewKey() => "frm_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    public static Task<FormRow?> FindByKeyAsync(Database db, string key, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<FormRow>("SELECT * FROM forms WHERE form_key = @key", new { key }), ct);

    public static Task<FormRow?> FindAsync(Database db, long id, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<FormRow>("SELECT * FROM forms WHERE id = @id", new { id }), ct);
}
