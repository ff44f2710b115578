namespace Tandem.Domain.Identity;

/// <summary>The standard profile fields every person has; anything else is a custom field.</summary>
public static class PersonFields
{
    public const string FirstName = "firstName";
    public const string LastName = "lastName";
    public const string Company = "company";
    public const string Title = "title";
    public const string Phone = "phone";
    public const string Website = "website";
    public const string Country = "country";
    public const string Region = "region";
    public const string City = "city";
    public const string Industry = "industry";
    public const string CompanySize = "companySize";

    /// <summary>Standard fields in column order; the storage layer keeps each in a column.</summary>
    public static readonly IReadOnlyList<string> Standard =
        [FirstName, LastName, Company, Title, Phone, Website, Country, Region, City, Industry, CompanySize];

    private static readonly HashSet<string> StandardSet = new(Standard, StringComparer.Ordinal);

    /// <summary>Custom fields share the profile with standard ones under this prefix so they can never collide.</summary>
    public const string CustomPrefix = "custom.";

    public static bool IsStandard(string field) => StandardSet.Contains(field);

    public static bool IsKnown(string field) =>
        IsStandard(field) || (field.StartsWith(CustomPrefix, StringComparison.Ordinal) && field.Length > CustomPrefix.Length);

    public static string Custom(string name) => CustomPrefix + name;
}
