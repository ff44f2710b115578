using System.Text.RegularExpressions;
using Tandem.Domain.Capture;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;

namespace Tandem.Server.People;

internal sealed record ConsentInput(bool? DoNotEmail, bool? DoNotCall, bool? Unsubscribed);

/// <summary>The fields a caller may send to create or update a person (POST and PATCH share it).</summary>
internal sealed partial record PersonInput
{
    public string? Email { get; init; }
    public List<ExternalIdDto>? ExternalIds { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Company { get; init; }
    public string? Title { get; init; }
    public string? Phone { get; init; }
    public string? Website { get; init; }
    public string? Country { get; init; }
    public string? Region { get; init; }
    public string? City { get; init; }
    public string? Industry { get; init; }
    public string? CompanySize { get; init; }
    public Dictionary<string, string?>? CustomFields { get; init; }
    public ConsentInput? Consent { get; init; }
    public Attribution? Attribution { get; init; }
    /// <summary>The stage a new person starts in (default: the configured initial stage). Existing people move through /stage.</summary>
    public string? Stage { get; init; }
    public List<string>? LockFields { get; init; }
    public List<string>? UnlockFields { get; init; }
    /// <summary>When the source observed these values; newer observations win. Defaults to now.</summary>
    public DateTimeOffset? ObservedAt { get; init; }
    /// <summary>True to add someone whose email or external id was erased as a new person (they asked to be added again); otherwise 409.</summary>
    public bool? AllowErased { get; init; }

    public const int MaxFieldLength = 2000;

    /// <summary>Validates and converts to a capture; <paramref name="requireIdentity"/> asks for an email or external id.</summary>
    public PersonCapture? ToCapture(Validation v, DateTimeOffset now, bool requireIdentity)
    {
        EmailAddress? email = null;
        if (Email is not null)
        {
            if (EmailAddress.TryParse(Email, out var parsed)) email = parsed;
            else v.Add("email", $"'{Truncate(Email)}' is not a valid email address.");
        }
        var externalIds = ExternalIds ?? [];
        for (var i = 0; i < externalIds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(externalIds[i]?.Source)) v.Add($"externalIds[{i}].source", "A source system name is required.");
            if (string.IsNullOrWhiteSpace(externalIds[i]?.Id)) v.Add($"externalIds[{i}].id", "An id is required.");
        }
        if (requireIdentity && Email is null && externalIds.Count == 0)
            v.Add("email", "An email or at least one external id is required to identify the person.");

        var fields = new Dictionary<string, string?>();
        foreach (var (name, value) in Standard())
        {
            if (value is { Length: > MaxFieldLength }) v.Add(name, $"Must be at most {MaxFieldLength} characters.");
            fields[name] = value;
        }
        foreach (var (name, value) in CustomFields ?? [])
        {
            if (!CustomFieldName().IsMatch(name)) v.Add($"customFields.{name}", "Custom field names are 1-64 letters, digits, '_', '-' or '.'.");
            else if (value is { Length: > MaxFieldLength }) v.Add($"customFields.{name}", $"Must be at most {MaxFieldLength} characters.");
            fields[PersonFields.Custom(name)] = value;
        }

        Stage? stage = null;
        if (Stage is not null)
        {
            if (Domain.Lifecycle.Stages.TryParse(Stage, out var s)) stage = s;
            else v.Add("stage", $"'{Truncate(Stage)}' is not a stage; use one of: {string.Join(", ", Domain.Lifecycle.Stages.Names)}.");
            if (s.NeedsReason()) v.Add("stage", $"A person cannot start in {s}; it needs a reason. Create them, then move them.");
        }
        foreach (var (list, name) in new[] { (LockFields, "lockFields"), (UnlockFields, "unlockFields") })
            for (var i = 0; i < (list?.Count ?? 0); i++)
                if (!PersonFields.IsKnown(list![i]))
                    v.Add($"{name}[{i}]", $"'{Truncate(list[i])}' is not a field; use a standard field name or 'custom.<name>'.");

        if (!v.IsValid) return null;
        return new PersonCapture
        {
            Email = email,
            ExternalIds = externalIds.Select(e => new ExternalIdDto(e.Source.Trim(), e.Id.Trim())).ToList(),
            Fields = fields,
            DoNotEmail = Consent?.DoNotEmail,
            DoNotCall = Consent?.DoNotCall,
            Unsubscribed = Consent?.Unsubscribed,
            Touch = Attribution,
            ObservedAt = ObservedAt is { } at && at < now ? at : now,
            InitialStage = stage,
            Lock = LockFields ?? [],
            Unlock = UnlockFields ?? [],
            AllowErased = AllowErased == true,
        };
    }

    private IEnumerable<(string, string?)> Standard() =>
    [
        (PersonFields.FirstName, FirstName), (PersonFields.LastName, LastName), (PersonFields.Company, Company),
        (PersonFields.Title, Title), (PersonFields.Phone, Phone), (PersonFields.Website, Website),
        (PersonFields.Country, Country), (PersonFields.Region, Region), (PersonFields.City, City),
        (PersonFields.Industry, Industry), (PersonFields.CompanySize, CompanySize),
    ];

    internal static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,64}$")]
    private static partial Regex CustomFieldName();
}
