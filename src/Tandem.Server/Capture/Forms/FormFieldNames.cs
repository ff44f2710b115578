using Tandem.Domain.Identity;

namespace Tandem.Server.Capture.Forms;

/// <summary>The person fields a form can ask for, and how each reads to a visitor when the form gives no label.</summary>
internal static class FormFieldNames
{
    public const string Email = "email";

    /// <summary>Email first (every form needs it), then the standard fields in their usual order.</summary>
    public static readonly IReadOnlyList<string> Offered = [Email, .. PersonFields.Standard];

    public static bool IsAllowed(string field) => field == Email || PersonFields.IsKnown(field);

    public static string Describe(string field) => field switch
    {
        Email => "Email",
        PersonFields.FirstName => "First name",
        PersonFields.LastName => "Last name",
        PersonFields.Company => "Company",
        PersonFields.Title => "Job title",
        PersonFields.Phone => "Phone",
        PersonFields.Website => "Website",
        PersonFields.Country => "Country",
        PersonFields.Region => "Region",
        PersonFields.City => "City",
        PersonFields.Industry => "Industry",
        PersonFields.CompanySize => "Company size",
        _ when field.StartsWith(PersonFields.CustomPrefix, StringComparison.Ordinal) => field[PersonFields.CustomPrefix.Length..].Replace('_', ' '),
        _ => field,
    };

    /// <summary>The input type that gives a visitor the right keyboard on a phone.</summary>
    public static string InputType(string field) => field switch
    {
        Email => "email",
        PersonFields.Phone => "tel",
        PersonFields.Website => "url",
        _ => "text",
    };

    /// <summary>The browser's autofill hint, so visitors fill the form in one tap.</summary>
    public static string? Autocomplete(string field) => field switch
    {
        Email => "email",
        PersonFields.FirstName => "given-name",
        PersonFields.LastName => "family-name",
        PersonFields.Company => "organization",
        PersonFields.Title => "organization-title",
        PersonFields.Phone => "tel",
        PersonFields.Website => "url",
        PersonFields.Country => "country-name",
        PersonFields.City => "address-level2",
        _ => null,
    };
}
