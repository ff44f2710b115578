using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Tandem.Server.Import;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages.Imports;

/// <summary>
/// Checks who is uploading before a byte of the upload is read. Authorization filters run before antiforgery reads
/// the form and before model binding buffers the file, so a user who may not import (a rep) is refused at once rather
/// than after their whole file was received; for those who may, the body is capped at Tandem:Import:MaxUploadBytes.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ImportersOnlyAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    /// <summary>Before the antiforgery check (order 1000), which reads the whole form.</summary>
    public int Order => -1000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated != true) return; // the sign-in policy sends them to sign in
        if (http.Items[typeof(UserRow)] is not UserRow user || !ImportsModel.MayImport(user))
        {
            context.Result = new ViewResult { ViewName = "NoAccess", StatusCode = StatusCodes.Status403Forbidden };
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = http.RequestServices.GetRequiredService<ImportSettings>().MaxUploadBytes;
    }
}
