using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Identity;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Forms;

internal static class FormEndpoints
{
    /// <param name="ConsentField">The form field that carries consent to marketing email (default: consent or emailConsent).</param>
    /// <param name="ConfirmationTemplate">The name of a transactional template sent at once to whoever submits the form.</param>
    public sealed record CreateFormRequest(string? Name, Dictionary<string, string>? FieldMapping, string? RedirectUrl, string? HoneypotField, long? CampaignId,
        string? ConsentField = null, string? ConfirmationTemplate = null);

    public static IEndpointRouteBuilder MapFormEndpoints(this IEndpointRouteBuilder app)
    {
        var forms = app.MapGroup("/api/v1/forms").WithTags("Web forms");
        forms.MapPost("/", Create).RequireScope(Scopes.Write).WithSummary("Create a web form that posts straight to Tandem.");
        forms.MapGet("/", List).RequireScope(Scopes.Read).WithSummary("List web forms.");
        app.MapPost("/f/{formKey}", SubmitForm.Handle).DisableAntiforgery().AllowAnonymous().WithTags("Web forms")
            .WithSummary("The action of a plain HTML form (application/x-www-form-urlencoded).");
        return app;
    }

    private static async Task<Results<Created<FormDto>, ValidationProblem>> Create(CreateFormRequest request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(request.Name)) v.Add("name", "A form name is required.");
        foreach (var (formField, target) in request.FieldMapping ?? [])
            if (target != "email" && !PersonFields.IsKnown(target))
                v.Add($"fieldMapping.{formField}", $"'{target}' is not a person field; use email, a standard field or 'custom.<name>'.");
        if (request.RedirectUrl is not null && !(Uri.TryCreate(request.RedirectUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
            v.Add("redirectUrl", "Must be an absolute http(s) URL.");
        if (request.ConsentField is { } cf && (string.IsNullOrWhiteSpace(cf) || cf.Length > 80))
            v.Add("consentField", "Name the form field that carries consent, at most 80 characters.");
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
        if (!v.IsValid) return v.ToProblem();

        var row = new FormRow
        {
            Name = request.Name!.Trim(), FormKey = FormStore.NewKey(), FieldMapping = Json.Write(request.FieldMapping ?? []),
            RedirectUrl = request.RedirectUrl, HoneypotField = string.IsNullOrWhiteSpace(request.HoneypotField) ? "website_url" : request.HoneypotField.Trim(),
            CampaignId = request.CampaignId, ConsentField = request.ConsentField?.Trim(), ConfirmationTemplateId = templateId,
            CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        row.Id = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(
            "INSERT INTO forms (name, form_key, field_mapping, redirect_url, honeypot_field, campaign_id, consent_field, confirmation_template_id, created_at) " +
            "VALUES (@Name, @FormKey, @FieldMapping, @RedirectUrl, @HoneypotField, @CampaignId, @ConsentField, @ConfirmationTemplateId, @CreatedAt) RETURNING id", row, tx), ct);
        return TypedResults.Created($"/api/v1/forms/{row.Id}", FormDto.From(row));
    }

    private static async Task<Ok<IReadOnlyList<FormDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<FormDto>>((await db.ReadAsync(c => c.QueryAsync<FormRow>("SELECT * FROM forms ORDER BY id"), ct))
            .Select(FormDto.From).ToList());
}
