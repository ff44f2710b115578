using Microsoft.AspNetCore.Mvc;

namespace Tandem.Server.Web.Settings;

/// <summary>The service-level settings pages: how they refuse a change and show its errors beside the fields.</summary>
internal abstract class SlaSettingsPageModel : SettingsPageModel
{
    /// <summary>The errors of a field and everything under it ("segment.grades" also shows "segment.grades[0]"), in one sentence.</summary>
    public string? ErrorAt(params string[] fields)
    {
        var found = Outcome.Errors.Where(e => fields.Any(f => Under(e.Key, f))).Select(e => e.Value).Distinct().ToList();
        return found.Count == 0 ? null : string.Join(" ", found);
    }

    /// <summary>The errors no field on the form shows, e.g. "The calendar is in use."</summary>
    public string? GeneralErrors(params string[] shownFields) =>
        Outcome.Errors.Where(e => !shownFields.Any(f => Under(e.Key, f))).Select(e => e.Value).Distinct().ToList() is { Count: > 0 } rest
            ? string.Join(" ", rest) : null;


    private static bool Under(string key, string field) =>
        key.Equals(field, StringComparison.OrdinalIgnoreCase)
        || (key.Length > field.Length && key.StartsWith(field, StringComparison.OrdinalIgnoreCase) && key[field.Length] is '.' or '[');
}
