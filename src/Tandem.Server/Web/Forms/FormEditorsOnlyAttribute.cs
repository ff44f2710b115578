using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Forms;

/// <summary>
/// The Forms section is marketing's and the admins': anyone else gets the no-access page (403), for reading and posting
/// alike. It runs before the antiforgery check and model binding, so a refused post is not even read.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class FormEditorsOnlyAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    public int Order => -1000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated != true) return; // the sign-in policy sends them to sign in
        if (http.Items[typeof(UserRow)] is not UserRow user || !FormEditor.MayEdit(user))
            context.Result = new ViewResult { ViewName = "NoAccess", StatusCode = StatusCodes.Status403Forbidden };
    }
}
