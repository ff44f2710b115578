using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Sla;
using Tandem.Server.Storage;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>/settings/sla/calendars/new and /settings/sla/calendars/{id}: a business-hours calendar, saved through the API's use case.</summary>
internal sealed class SlaCalendarModel(Database db, TimeProvider clock) : SlaSettingsPageModel
{
    [BindProperty] public SlaCalendarForm Form { get; set; } = new();

    public long? CalendarId { get; private set; }

    public static readonly string[] Fields = ["name", "timeZone", "weeklyHours", "holidays"];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!TryReadId(id, out var calendarId)) return NotFoundPage();
        if (calendarId is { } existing)
        {
            if ((await ManageCalendars.Get(existing, db, ct)).Result is not Ok<CalendarDto> found) return NotFoundPage();
            Form = SlaCalendarForm.From(found.Value!);
        }
        else Form = SlaCalendarForm.NewOffice();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!TryReadId(id, out var calendarId)) return NotFoundPage();
        var request = Form.ToRequest();
        var outcome = FormOutcome.Of(calendarId is { } existing
            ? await ManageCalendars.Replace(existing, request, db, clock, ct)
            : await ManageCalendars.Create(request, db, clock, ct));
        if (outcome.NotFound) return NotFoundPage();
        if (outcome.Succeeded)
        {
            Tell(calendarId is null ? $"Created the calendar '{request.Name?.Trim()}'." : $"Saved the calendar '{request.Name?.Trim()}'; clocks started from now on use the new hours.");
            return Redirect("/settings/sla");
        }
        // The only refusal that is not a field error is a name another calendar already has: show it beside the name.
        return Refused(outcome.Errors.TryGetValue("", out var taken) ? FormOutcome.Invalid("name", taken) : outcome);
    }

    /// <summary>The errors of one weekday's box ("weeklyHours.monday[1]" and "weeklyHours.monday").</summary>
    public string? DayError(string day) => ErrorAt($"weeklyHours.{day}");

    /// <summary>The hours errors that name no single day ("give working hours for at least one day").</summary>
    public string? WeekError() => Outcome.Errors.TryGetValue("weeklyHours", out var e) ? e : null;

    /// <summary>Holiday errors, each with the line it refers to ("Line 2: A date (YYYY-MM-DD) is required.").</summary>
    public IReadOnlyList<string> HolidayErrors() => Outcome.Errors
        .Where(e => e.Key.StartsWith("holidays[", StringComparison.OrdinalIgnoreCase))
        .Select(e => int.TryParse(e.Key["holidays[".Length..].Split(']')[0], out var i) ? $"Line {i + 1}: {e.Value}" : e.Value)
        .ToList();

    private bool TryReadId(string id, out long? calendarId)
    {
        var ok = ReadEditId(id, out calendarId);
        CalendarId = calendarId;
        return ok;
    }
}
