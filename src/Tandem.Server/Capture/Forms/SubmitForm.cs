using Tandem.Domain.Capture;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.Audit;
using Tandem.Server.Email.Consent;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.People;
using Tandem.Server.Privacy;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Forms;

/// <summary>
/// POST /f/{formKey}: a plain HTML form submission. Declared fields fill in what the person lacks, hidden UTM
/// inputs become the touch's attribution, and the browser is sent on to the thank-you page.
/// A filled-in honeypot (a field people never see) gets the same answer but stores nothing,
/// so bots learn nothing from trying.
/// </summary>
internal static class SubmitForm
{
    private static readonly HashSet<string> AttributionFields =
        ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer", "landing_page", "page_url"];

    public static async Task<IResult> Handle(string formKey, HttpRequest request, Database db, Consequences consequences, PersonCapturer capturer,
        PersonEvents events, FormConsent formConsent, TimeProvider clock, CancellationToken ct)
    {
        var form = await FormStore.FindByKeyAsync(db, formKey, ct);
        if (form is null) return Problems.NotFound("Form", formKey);
        if (!request.HasFormContentType)
            return Problems.Field("body", "Post the form as application/x-www-form-urlencoded or multipart/form-data.");
        var posted = await request.ReadFormAsync(ct);

        if (!string.IsNullOrWhiteSpace(posted[form.HoneypotField])) return Done(form, request);

        var mapping = form.Mapping;
        // A declared field's input is named after the person field it fills (firstName, custom.use_case).
        foreach (var declared in form.Declared) mapping.TryAdd(declared.Field, declared.Field);
        // The form's page and snippet mark these required, so only a hand-made post or a bot lacks one.
        foreach (var declared in form.Declared)
            if (declared.Required && declared.Field != FormFieldNames.Email && string.IsNullOrWhiteSpace(posted[declared.Field]))
                return Problems.Field(declared.Field, $"{declared.Shown} is required.");
        IReadOnlyList<string> consentFields = form.ConsentField is { } named ? [named] : FormConsent.DefaultFields;
        var consented = consentFields.Any(f => FormConsent.IsYes(posted[f].ToString()));
        var fields = new Dictionary<string, string?>();
        string? rawEmail = null;
        foreach (var (name, values) in posted)
        {
            if (name == form.HoneypotField || AttributionFields.Contains(name) || name.StartsWith("__", StringComparison.Ordinal)
                || consentFields.Contains(name)) continue;
            // Only declared fields are kept: the form's mapping, the email and the standard fields. Anything else a
            // browser (or a bot) posts is ignored, so nobody can add custom fields to every person and export.
            var target = mapping.TryGetValue(name, out var mapped) ? mapped
                : name.Equals("email", StringComparison.OrdinalIgnoreCase) ? "email"
                : PersonFields.IsStandard(name) ? name
                : null;
            if (target is null) continue;
            if (target == "email") rawEmail = values.ToString();
            else if (PersonFields.IsKnown(target) && target.Length <= 80) fields[target] = Limit(values.ToString());
        }

        if (!EmailAddress.TryParse(rawEmail, out var email))
            return Problems.Field("email", rawEmail is null ? "The form must include an email field." : $"'{Limit(rawEmail)}' is not a valid email address.");

        var now = clock.GetUtcNow();
        var touch = new Attribution(
            UtmSource: Value(posted, "utm_source"), UtmMedium: Value(posted, "utm_medium"), UtmCampaign: Value(posted, "utm_campaign"),
            UtmTerm: Value(posted, "utm_term"), UtmContent: Value(posted, "utm_content"),
            Referrer: Value(posted, "referrer") ?? (request.Headers.Referer.ToString() is { Length: > 0 } r ? Limit(r) : null),
            LandingPage: Value(posted, "landing_page") ?? Value(posted, "page_url")).Completed();
        var actor = new Actor(ActorType.System, $"form:{form.Id}", $"Form '{form.Name}'");

        await consequences.WriteAsync(async (c, tx) =>
        {
            CaptureOutcome outcome;
            try
            {
                // Anyone can post a public form with anyone's email: it may add what is missing but not overwrite what is known.
                outcome = await capturer.CaptureAsync(c, tx, new PersonCapture
                {
                    Email = email, Fields = fields, Touch = touch.IsEmpty ? null : touch, ObservedAt = now, FillEmptyOnly = true,
                }, actor);
            }
            catch (ErasedPersonException e)
            {
                // The visitor sees the usual thank-you (a form must not tell strangers who was erased); the operator
                // finds the refusal in the audit log, without the address.
                await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), "person.capture_refused", $"form {form.Id}",
                    new { source = "form", form = form.Name, field = e.Match.Field });
                return;
            }
            await ActivityStore.AppendAsync(c, tx, new NewActivity(outcome.PersonId, null, "form_submitted", now.ToUnixTimeMilliseconds(),
                now.ToUnixTimeMilliseconds(), ActivitySources.Form,
                Json.Write(new { form = form.Name, formId = form.Id, fields = fields.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value) }),
                Channel: touch.Channel, CampaignId: form.CampaignId));
            events.Raise(tx, new ActivitiesAppended([outcome.PersonId], actor));
            var at = now.ToUnixTimeMilliseconds();
            if (consented)
                await formConsent.RecordAsync(c, tx, new FormConsentInput(outcome.PersonId, form.Name, touch.LandingPage ?? touch.Referrer,
                    request.HttpContext.Connection.RemoteIpAddress?.ToString(), request.Headers.UserAgent.ToString()), at);
            // The form's own answer goes out within seconds: it is queued with the submission, in its transaction.
            if (form.ConfirmationTemplateId is { } confirmation)
                await formConsent.QueueTransactionalAsync(c, tx, outcome.PersonId, confirmation, at, $"confirmation of form {form.Name}");
        }, ct);
        return Done(form, request);
    }

    private static IResult Done(FormRow form, HttpRequest request) =>
        form.RedirectUrl is not null ? new SeeOther(form.RedirectUrl) : Results.Content(FormHtml.ThankYou(form), "text/html; charset=utf-8");

    private static string? Value(IFormCollection form, string name) =>
        form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? Limit(v.ToString().Trim()) : null;

    private static string Limit(string s) => s.Length <= 2000 ? s : s[..2000];
}

/// <summary>303 See Other: the browser follows a form POST with a GET of the thank-you page.</summary>
internal sealed class SeeOther(string url) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = url;
        return Task.CompletedTask;
    }
}
