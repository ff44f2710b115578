using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Tandem.Server.Security;

/// <summary>
/// Authenticates API keys sent as "Authorization: Bearer KEY", or, for Segment-compatible
/// tracking clients, as the HTTP Basic user name (the "write key") with an empty password.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyStore keys, ApiKeyCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "ApiKey";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request.Headers.Authorization.ToString());
        if (key is null && BodyWriteKey.Applies(Request)) key = await BodyWriteKey.ReadAsync(Request, Context.RequestAborted);
        if (key is null) return AuthenticateResult.NoResult();

        if (!cache.TryGet(key, out var known))
        {
            known = await keys.VerifyAsync(key, Context.RequestAborted);
            cache.Remember(key, known);
            // Recorded once per cache window, not per request, so "last used" costs no write on hot paths.
            if (known is { } verified) await keys.TouchAsync(verified.Id, Context.RequestAborted);
        }
        if (known is not { } info) return AuthenticateResult.Fail("The API key is not valid or has been revoked.");

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, info.Id.ToString()), new(ClaimTypes.Name, info.Name) };
        claims.AddRange(info.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme));
    }

    internal static string? ReadKey(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header[7..].Trim() is { Length: > 0 } bearer ? bearer : null;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var user = decoded.Split(':', 2)[0];
                return user.Length > 0 ? user : null;
            }
            catch (FormatException) { return null; }
        }
        return null;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblem(401, "Authentication required.",
            "Send an API key as 'Authorization: Bearer KEY' (tracking clients: the key as the Basic user name).");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(403, "The API key lacks the scope this request needs.",
            $"This request needs a key with one of these scopes: {string.Join(", ", RequiredScopes())}.");

    private IEnumerable<string> RequiredScopes() =>
        Context.GetEndpoint()?.Metadata.GetOrderedMetadata<RequiresScopeAttribute>().Select(a => a.Scope).Distinct() ?? [];

    private async Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        if (status == 401) Response.Headers.WWWAuthenticate = "Bearer";
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>Marks an endpoint as needing an API key with a scope.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
internal sealed class RequiresScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}

internal static class ScopeEndpointExtensions
{
    /// <summary>Requires an authenticated API key whose scopes allow <paramref name="scope"/>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresScopeAttribute(scope)).RequireAuthorization($"scope:{scope}");
}
