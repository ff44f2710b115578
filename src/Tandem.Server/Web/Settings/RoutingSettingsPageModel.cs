using Microsoft.AspNetCore.Mvc;

namespace Tandem.Server.Web.Settings;

/// <summary>The routing settings pages: read by everyone, changed by admins (time off also by the rep and their manager).</summary>
public abstract class RoutingSettingsPageModel : SettingsPageModel
{
    /// <summary>The answer to a change the signed-in user may not make: 403, with the page explaining it.</summary>
    protected static IActionResult NoAccess() => new ViewResult { ViewName = "NoAccess", StatusCode = 403 };

    /// <summary>Shows the refused form again, as typed, with each error beside its field.</summary>
    protected IActionResult Refused(FormOutcome outcome)
    {
        Outcome = outcome;
        Response.StatusCode = outcome.NotFound ? 404 : 422;
        return Page();
    }
}
