using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// Settings pages: everyone signed in may read how leads are routed and what the service levels promise (both teams
/// should see the rules they are held to); only admins change them, and the server refuses a change from anyone else.
/// </summary>
internal abstract class SettingsPageModel : TandemPageModel
{
    public virtual bool CanEdit => Me.Role == Roles.Admin;

    /// <summary>Field errors of the last refused form, keyed by the API's field names.</summary>
    public FormOutcome Outcome { get; protected set; } = FormOutcome.Done;

    /// <summary>The answer to a change the signed-in user may not make: 403, with the page explaining it.</summary>
    protected static IActionResult NoAccess() => new ViewResult { ViewName = "NoAccess", StatusCode = 403 };

    /// <summary>Shows the refused form again, as typed, with each error beside its field (422; 404 when the item is gone).</summary>
    protected IActionResult Refused(FormOutcome outcome)
    {
        Outcome = outcome;
        Response.StatusCode = outcome.NotFound ? 404 : 422;
        return Page();
    }

    /// <summary>An edit page's {id}: "new" is a new item (null), a positive number an existing one; anything else is no page.</summary>
    protected static bool ReadEditId(string id, out long? existing)
    {
        existing = null;
        if (id == "new") return true;
        if (!long.TryParse(id, out var n) || n <= 0) return false;
        existing = n;
        return true;
    }
}
