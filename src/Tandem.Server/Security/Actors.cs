using System.Security.Claims;
using Tandem.Domain.Lifecycle;

namespace Tandem.Server.Security;

internal static class Actors
{
    /// <summary>The actor behind a request: the API key (or signed-in user) that made it.</summary>
    public static Actor Of(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var name = user.FindFirstValue(ClaimTypes.Name) ?? id;
        return user.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.Scheme ? Actor.ApiKey(id, name) : Actor.User(id, name);
    }
}
