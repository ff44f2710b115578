using System.Text.Json;
using Tandem.Domain.Capture;
using Tandem.Domain.Identity;

namespace Tandem.Server.Capture.Tracking;

/// <summary>Reads Segment's reserved traits and context into Tandem's person fields and attribution.</summary>
internal static class SegmentTraits
{
    // Traits that map onto standard fields, in Segment's spellings (camelCase and snake_case).
    private static readonly Dictionary<string, string> Standard = new(StringComparer.OrdinalIgnoreCase)
    {
        ["firstName"] = PersonFields.FirstName, ["first_name"] = PersonFields.FirstName,
        ["lastName"] = PersonFields.LastName, ["last_name"] = PersonFields.LastName,
        ["title"] = PersonFields.Title, ["phone"] = PersonFields.Phone, ["website"] = PersonFields.Website,
        ["country"] = PersonFields.Country, ["city"] = PersonFields.City, ["state"] = PersonFields.Region,
        ["region"] = PersonFields.Region, ["industry"] = PersonFields.Industry,
        ["employees"] = PersonFields.CompanySize, ["companySize"] = PersonFields.CompanySize,
    };

    private static readonly HashSet<string> Consumed = new(StringComparer.OrdinalIgnoreCase)
    {
        "email", "name", "company", "address", "unsubscribed", "doNotEmail", "doNotCall", "id", "userId", "anonymousId",
    };

    public static string? Email(JsonElement? traits) => Text(traits, "email");

    /// <summary>A userId that is an email address (many apps identify people by it), or null.</summary>
    public static EmailAddress? UserIdEmail(string? userId) => EmailAddress.TryParse(userId, out var email) ? email : null;

    public static Dictionary<string, string?> Fields(JsonElement? traits)
    {
        var fields = new Dictionary<string, string?>();
        if (traits is not { ValueKind: JsonValueKind.Object } t) return fields;
        foreach (var p in t.EnumerateObject())
        {
            if (Standard.TryGetValue(p.Name, out var field)) fields[field] = Scalar(p.Value);
            else if (!Consumed.Contains(p.Name) && p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
                     && p.Name.Length <= 64)
                fields[PersonFields.Custom(p.Name)] = Scalar(p.Value);
        }
        if (Text(traits, "name") is { } name && !fields.ContainsKey(PersonFields.FirstName) && !fields.ContainsKey(PersonFields.LastName))
        {
            var space = name.IndexOf(' ');
            fields[PersonFields.FirstName] = space < 0 ? name : name[..space];
            if (space > 0) fields[PersonFields.LastName] = name[(space + 1)..];
        }
        if (t.TryGetProperty("company", out var company))
            fields[PersonFields.Company] = company.ValueKind == JsonValueKind.Object ? Text(company, "name") : Scalar(company);
        if (t.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.Object)
        {
            fields.TryAdd(PersonFields.Country, Text(address, "country"));
            fields.TryAdd(PersonFields.City, Text(address, "city"));
            fields.TryAdd(PersonFields.Region, Text(address, "state"));
        }
        return fields;
    }

    public static bool? Flag(JsonElement? traits, string name) =>
        traits is { ValueKind: JsonValueKind.Object } t && t.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null }
            : null;

    /// <summary>The UTM campaign, page and referrer from a message's context.</summary>
    public static Attribution? Attribution(JsonElement? context)
    {
        if (context is not { ValueKind: JsonValueKind.Object } c) return null;
        JsonElement? campaign = c.TryGetProperty("campaign", out var cp) && cp.ValueKind == JsonValueKind.Object ? cp : null;
        JsonElement? page = c.TryGetProperty("page", out var pg) && pg.ValueKind == JsonValueKind.Object ? pg : null;
        var attribution = new Attribution(
            UtmSource: Text(campaign, "source"), UtmMedium: Text(campaign, "medium"), UtmCampaign: Text(campaign, "name"),
            UtmTerm: Text(campaign, "term"), UtmContent: Text(campaign, "content"),
            Referrer: Text(page, "referrer"), LandingPage: Text(page, "url"));
        return campaign is null || attribution.IsEmpty ? null : attribution.Completed();
    }

    public static string? Text(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? Scalar(v) : null;

    private static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => string.IsNullOrWhiteSpace(v.GetString()) ? null : v.GetString()!.Trim(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Object or JsonValueKind.Array => v.GetRawText(),
        _ => null,
    };
}
