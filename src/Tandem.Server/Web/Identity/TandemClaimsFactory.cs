using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Identity;

/// <summary>
/// The signed-in cookie carries the user's id, display name (so stage histories say "Riley Rep", not an email),
/// role and security stamp.
/// </summary>
internal sealed class TandemClaimsFactory(UserManager<UserRow> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<UserRow>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(UserRow user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        foreach (var name in identity.FindAll(ClaimTypes.Name).ToList()) identity.RemoveClaim(name);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Name));
        identity.AddClaim(new Claim(ClaimTypes.Email, user.Email));
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        return identity;
    }
}

/// <summary>A deactivated user cannot sign in, whatever their password.</summary>
internal sealed class ActiveUserConfirmation : IUserConfirmation<UserRow>
{
    public Task<bool> IsConfirmedAsync(UserManager<UserRow> manager, UserRow user) => Task.FromResult(user.IsActive);
}
