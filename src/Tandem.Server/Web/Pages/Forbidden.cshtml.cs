using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Tandem.Server.Web.Pages;

internal sealed class ForbiddenModel : PageModel
{
    public void OnGet() => Response.StatusCode = 403;
}
