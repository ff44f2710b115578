using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Security;
using Tandem.Server.Users;
using Tandem.Server.Web.Access;
using Tandem.Server.Web.Identity;

namespace Tandem.Server.Web;

/// <summary>What every signed-in page knows: who is signed in, which leads they may see, and how to say "not found".</summary>
internal abstract class TandemPageModel : PageModel
{
    public UserRow Me => SignedInUser.Current(HttpContext);

    public LeadScope Scope => LeadScope.For(Me);

    public Actor Actor => Actors.Of(User);

    /// <summary>A one-off message shown at the top of the next page (after a redirect).</summary>
    [TempData] public string? Flash { get; set; }

    [TempData] public string? FlashKind { get; set; }

    protected void Tell(string message, bool error = false) { Flash = message; FlashKind = error ? "error" : "ok"; }

    /// <summary>A friendly 404 page; used too for leads outside the user's scope, so their existence is not revealed.</summary>
    protected IActionResult NotFoundPage() => new ViewResult { ViewName = "NotFound", StatusCode = 404 };
}
