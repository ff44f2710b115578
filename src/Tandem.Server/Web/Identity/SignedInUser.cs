using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Identity;

/// <summary>
/// Re-reads the signed-in user on every page request, so deactivating a user, changing their role or
/// resetting their password takes effect at once instead of when the cookie expires.
/// </summary>
internal static class SignedInUser
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var stampClaim = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>()
            .Value.ClaimsIdentity.SecurityStampClaimType;
        UserRow? user = null;
        if (long.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            var db = context.HttpContext.RequestServices.GetRequiredService<Database>();
            user = await db.ReadAsync(c => UserStore.FindAsync(c, null, id), context.HttpContext.RequestAborted);
        }
        if (user is null || !user.IsActive || user.SecurityStamp != principal!.FindFirstValue(stampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        context.HttpContext.Items[typeof(UserRow)] = user;
    }

    /// <summary>The signed-in user of this request, as read from the database when the cookie was validated.</summary>
    public static UserRow Current(HttpContext http) =>
        http.Items[typeof(UserRow)] as UserRow ?? throw new InvalidOperationException("No signed-in user on this request.");
}
