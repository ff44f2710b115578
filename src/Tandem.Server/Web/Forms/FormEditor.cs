using Tandem.Domain.Identity;
using Tandem.Server.Capture.Forms;
using Tandem.Server.Users;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Forms;

/// <summary>
/// The form editor as the browser posts it: rows of fields rather than JSON. It becomes the API's own request, and the
/// API's field errors ("fields[2].label") are put back on the row they belong to.
/// </summary>
internal sealed class FormEditor
{
    /// <summary>Blank rows offered under the form's fields; a row left on "not on the form" is dropped.</summary>
    public const int SpareRows = 3;
    public const string CustomChoice = "custom";

    public string? Name { get; set; }
    public long? CampaignId { get; set; }
    public List<FieldRow> Fields { get; set; } = [];
    /// <summary>"message" or "redirect": what the visitor sees after sending.</summary>
    public string Confirmation { get; set; } = "message";
    public string? ConfirmationMessage { get; set; }
    public string? RedirectUrl { get; set; }
    public string? ConfirmationTemplate { get; set; }

    public sealed class FieldRow
    {
        /// <summary>A person field, <see cref="CustomChoice"/> (then <see cref="Custom"/> names it), or empty for no field.</summary>
        public string? Field { get; set; }
        public string? Custom { get; set; }
        public string? Label { get; set; }
        public bool Required { get; set; }

        public string? Target => Field == CustomChoice
            ? string.IsNullOrWhiteSpace(Custom) ? CustomChoice : PersonFields.CustomPrefix + Custom.Trim()
            : string.IsNullOrWhiteSpace(Field) ? null : Field.Trim();
    }

    public static bool MayEdit(UserRow user) => user.Role is Roles.Admin or Roles.Marketing;

    /// <summary>A new form asks for the email, the name and the company; the visitor sees a thank-you message.</summary>
    public static FormEditor New() => new()
    {
        Fields =
        [
            new() { Field = FormFieldNames.Email, Label = "Work email", Required = true }, new() { Field = PersonFields.FirstName, Label = "First name" },
            new() { Field = PersonFields.LastName, Label = "Last name" }, new() { Field = PersonFields.Company, Label = "Company" },
        ],
        ConfirmationMessage = "Thank you, we will be in touch shortly.",
    };

    public static FormEditor From(FormRow form, string? templateName) => new()
    {
        Name = form.Name, CampaignId = form.CampaignId,
        Fields = form.Declared.Select(f => f.Field.StartsWith(PersonFields.CustomPrefix, StringComparison.Ordinal)
            ? new FieldRow { Field = CustomChoice, Custom = f.Field[PersonFields.CustomPrefix.Length..], Label = f.Label, Required = f.Required }
            : new FieldRow { Field = f.Field, Label = f.Label, Required = f.Required }).ToList(),
        Confirmation = form.RedirectUrl is null ? "message" : "redirect", ConfirmationMessage = form.ConfirmationMessage, RedirectUrl = form.RedirectUrl,
        ConfirmationTemplate = templateName,
    };

    /// <summary>The API request, and for each of its fields the editor row it came from.</summary>
    public (SaveForm.Request Request, IReadOnlyList<int> RowOf) ToRequest(FormRow? existing)
    {
        var rows = Fields.Select((row, index) => (row, index)).Where(x => x.row.Target is not null).ToList();
        var redirect = Confirmation == "redirect";
        var request = new SaveForm.Request(Name, existing?.Mapping, redirect ? Blank(RedirectUrl) : null, existing?.HoneypotField, CampaignId,
            existing?.ConsentField, Blank(ConfirmationTemplate), rows.Select(x => new FormField(x.row.Target!, Blank(x.row.Label), x.row.Required)).ToList(),
            redirect ? null : Blank(ConfirmationMessage));
        return (request, rows.Select(x => x.index).ToList());
    }

    /// <summary>The handler's field errors, with "fields[i]" renamed to the editor row the i-th field came from.</summary>
    public static FormOutcome OnRows(FormOutcome outcome, IReadOnlyList<int> rowOf) => outcome with
    {
        Errors = outcome.Errors.ToDictionary(e => Rename(e.Key, rowOf), e => e.Value, StringComparer.OrdinalIgnoreCase),
    };

    private static string Rename(string key, IReadOnlyList<int> rowOf)
    {
        if (!key.StartsWith("fields[", StringComparison.OrdinalIgnoreCase)) return key;
        var close = key.IndexOf(']');
        return close > 7 && int.TryParse(key[7..close], out var i) && i < rowOf.Count ? $"fields[{rowOf[i]}]{key[(close + 1)..]}" : key;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
