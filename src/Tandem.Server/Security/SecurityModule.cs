using Microsoft.AspNetCore.Authentication;

namespace Tandem.Server.Security;

internal static class SecurityModule
{
    public static IServiceCollection AddTandemSecurity(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyCache>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.Scheme, null);
        services.AddAuthorization(options =>
        {
            foreach (var scope in Scopes.All)
                options.AddPolicy($"scope:{scope}", policy => policy
                    .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.Scheme)
                    .RequireAuthenticatedUser()
                    .RequireAssertion(ctx => Scopes.Allows(
                        ctx.User.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value).ToList(), scope)));
        });
        return services;
    }
}
