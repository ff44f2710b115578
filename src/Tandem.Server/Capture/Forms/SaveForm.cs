using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Forms;

/// <summary>
/// POST /api/v1/forms and PUT /api/v1/forms/{id}: a form's name, the fields it asks for, the campaign it credits and what a
/// visitor sees after sending it. The Forms pages call these same handlers, so the browser and the API refuse the same things.
/// </summary>
internal static class SaveForm
{
    public const int MaxFields = 30;
    public const int MaxMessageLength = 1000;

    /// <param name="Fields">The fields the form asks for, in order; declaring them gives the form a page of its own at /f/{formKey}.</param>
    /// <param name="ConfirmationMessage">Shown after a submission when the form does not redirect.</param>
    /// <param name="ConsentField">The form field that carries consent to marketing email (default: consent or emailConsent).</param>
    /// <param name="ConfirmationTemplate">The name of a transactional template sent at once to whoever submits the form.</param>
    public sealed record Request(string? Name, Dictionary<string, string>? FieldMapping, string? RedirectUrl, string? HoneypotField, long? CampaignId,
        string? ConsentField = null, string? ConfirmationTemplate = null, List<FormField>? Fields = null, string? ConfirmationMessage = null);

    public static async Task<Results<Created<FormDto>, ValidationProblem>> Create(Request request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var (problem, templateId) = await ValidateAsync(request, db, ct);
        if (problem is not null) return problem;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = Row(request, templateId, FormStore.NewKey(), Honeypot(request.HoneypotField) ?? "website_url", now);
        row.Id = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(
            "INSERT INTO forms (name, form_key, field_mapping, fields, redirect_url, confirmation_message, honeypot_field, campaign_id, consent_field, " +
            "confirmation_template_id, created_at, updated_at) VALUES (@Name, @FormKey, @FieldMapping, @Fields, @RedirectUrl, @ConfirmationMessage, " +
            "@HoneypotField, @CampaignId, @ConsentField, @ConfirmationTemplateId, @CreatedAt, @UpdatedAt) RETURNING id", row, tx), ct);
        return TypedResults.Created($"/api/v1/forms/{row.Id}", FormDto.From(row));
    }

    /// <summary>Replaces the form's definition; its key (and so every page it is embedded in) stays the same.</summary>
    public static async Task<Results<Ok<FormDto>, ValidationProblem, ProblemHttpResult>> Update(long id, Request request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var existing = await FormStore.FindAsync(db, id, ct);
        if (existing is null) return Problems.NotFound("Form", id);
        var (problem, templateId) = await ValidateAsync(request, db, ct);
        if (problem is not null) return problem;
        var row = Row(request, templateId, existing.FormKey, Honeypot(request.HoneypotField) ?? existing.HoneypotField, existing.CreatedAt);
        row.Id = id;
        row.UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE forms SET name = @Name, field_mapping = @FieldMapping, fields = @Fields, redirect_url = @RedirectUrl, " +
            "confirmation_message = @ConfirmationMessage, honeypot_field = @HoneypotField, campaign_id = @CampaignId, consent_field = @ConsentField, " +
            "confirmation_template_id = @ConfirmationTemplateId, updated_at = @UpdatedAt WHERE id = @Id", row, tx), ct);
        return TypedResults.Ok(FormDto.From(row));
    }

    /// <summary>Every rule a form's definition must meet; the error keys are the request's own field names (fields[2].label).</summary>
    public static async Task<(ValidationProblem? Problem, long? TemplateId)> ValidateAsync(Request request, Database db, CancellationToken ct)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(request.Name)) v.Add("name", "A form name is required.");
        else if (request.Name.Trim().Length > 200) v.Add("name", "At most 200 characters.");
        foreach (var (formField, target) in request.FieldMapping ?? [])
            if (!FormFieldNames.IsAllowed(target))
                v.Add($"fieldMapping.{formField}", $"'{target}' is not a person field; use email, a standard field or 'custom.<name>'.");
        ValidateFields(request.Fields ?? [], v);
        if (request.RedirectUrl is not null && !(Uri.TryCreate(request.RedirectUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
            v.Add("redirectUrl", "Must be an absolute http(s) URL.");
        if (request.ConfirmationMessage is { } message)
        {
            if (message.Length > MaxMessageLength) v.Add("confirmationMessage", $"At most {MaxMessageLength} characters.");
            else if (request.RedirectUrl is not null && !string.IsNullOrWhiteSpace(message))
                v.Add("confirmationMessage", "A form either sends the visitor to a page or shows a message: leave one of them empty.");
        }
        if (Honeypot(request.HoneypotField) is { } trap && (request.Fields ?? []).Any(f => f.Field?.Trim() == trap))
            v.Add("honeypotField", $"'{trap}' is a field people fill in; the trap must be a field nobody sees.");
        if (request.ConsentField is { } cf && (string.IsNullOrWhiteSpace(cf) || cf.Length > 80))
            v.Add("consentField", "Name the form field that carries consent, at most 80 characters.");
        if (request.CampaignId is { } campaignId && await db.ReadAsync(c => c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM campaigns WHERE id = @campaignId", new { campaignId }), ct) == 0)
            v.Add("campaignId", $"No campaign has id {campaignId}.");
        long? templateId = null;
        if (!string.IsNullOrWhiteSpace(request.ConfirmationTemplate))
        {
            var template = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Kind)>(
                "SELECT id, kind FROM email_templates WHERE name = @name", new { name = request.ConfirmationTemplate.Trim() }), ct)).FirstOrDefault();
            if (template.Id == 0) v.Add("confirmationTemplate", $"No email template is named '{request.ConfirmationTemplate.Trim()}'.");
            else if (template.Kind != "transactional")
                v.Add("confirmationTemplate", "A form's confirmation must be a transactional template: it answers the submission and is sent to everyone who submits.");
            else templateId = template.Id;
        }
        return (v.IsValid ? null : v.ToProblem(), templateId);
    }

    private static void ValidateFields(IReadOnlyList<FormField> fields, Validation v)
    {
        if (fields.Count == 0) return; // a form without declared fields is one the website builds itself, as before
        if (fields.Count > MaxFields) { v.Add("fields", $"At most {MaxFields} fields."); return; }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            var field = f.Field?.Trim() ?? "";
            if (!FormFieldNames.IsAllowed(field))
                v.Add($"fields[{i}].field", field.Length == 0 ? "Choose the person field this input fills."
                    : $"'{field}' is not a person field; use email, a standard field or 'custom.<name>'.");
            else if (field.Length > 80) v.Add($"fields[{i}].field", "At most 80 characters.");
            else if (!seen.Add(field)) v.Add($"fields[{i}].field", $"'{field}' is on the form twice.");
            if (f.Label is { Length: > 200 }) v.Add($"fields[{i}].label", "At most 200 characters.");
            if (field == FormFieldNames.Email && !f.Required)
                v.Add($"fields[{i}].required", "The email must be required: a submission without one cannot be kept.");
        }
        if (!seen.Contains(FormFieldNames.Email)) v.Add("fields", "A form must ask for the email: it is how Tandem finds the person.");
    }

    private static string? Honeypot(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();

    private static FormRow Row(Request r, long? templateId, string key, string honeypot, long createdAt) => new()
    {
        Name = r.Name!.Trim(), FormKey = key, FieldMapping = Json.Write(r.FieldMapping ?? []),
        Fields = Json.Write((r.Fields ?? []).Select(f => new FormField(f.Field.Trim(), string.IsNullOrWhiteSpace(f.Label) ? null : f.Label.Trim(), f.Required)).ToList()),
        RedirectUrl = r.RedirectUrl, ConfirmationMessage = string.IsNullOrWhiteSpace(r.ConfirmationMessage) ? null : r.ConfirmationMessage.Trim(),
        HoneypotField = honeypot, CampaignId = r.CampaignId, ConsentField = r.ConsentField?.Trim(), ConfirmationTemplateId = templateId,
        CreatedAt = createdAt, UpdatedAt = createdAt,
    };
}
