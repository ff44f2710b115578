namespace Tandem.Domain.Identity;

/// <summary>How a person's account is looked up: by a business email domain, else by company name.</summary>
public sealed record AccountMatch(string? Domain, string? NormalizedName, string DisplayName)
{
    /// <summary>Null when neither a business domain nor a company name is known.</summary>
    public static AccountMatch? For(EmailAddress? email, string? company)
    {
        var domain = email is { IsFreeMail: false } e ? e.Domain : null;
        var normalized = CompanyName.Normalize(company);
        if (domain is null && normalized is null) return null;
        var display = !string.IsNullOrWhiteSpace(company) ? company.Trim() : domain!;
        return new AccountMatch(domain, normalized, display);
    }
}
