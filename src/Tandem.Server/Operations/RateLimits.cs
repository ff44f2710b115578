using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Tandem.Server.Security;

namespace Tandem.Server.Operations;

/// <summary>Settings under Tandem:RateLimits; 0 turns a limit off.</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "Tandem:RateLimits";

    /// <summary>Sign-in (and first-admin setup) attempts per client address per minute: password guessing slows to a crawl.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Public form, unsubscribe and preference submissions per client address per minute.</summary>
    public int PublicFormsPerMinute { get; set; } = 30;

    /// <summary>Tracking requests (Segment's /v1/*) per write key per second; requests with no valid key count per client address.</summary>
    public int TrackingPerSecond { get; set; } = 1000;
}

/// <summary>
/// Holds off abuse of the endpoints anyone can reach, with ASP.NET Core's rate limiter: per client address on sign-in
/// and the public forms, per write key on tracking. A request over its limit gets 429, a Retry-After header and a problem
/// document, before any password is hashed or anything written.
/// </summary>
internal static class RateLimits
{
    private static readonly string[] PublicFormPrefixes = ["/f/", "/u/", "/p/"];

    public static IServiceCollection AddAbuseLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(limits);
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => PartitionFor(http, limits));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> PartitionFor(HttpContext http, RateLimitOptions limits)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "";
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (HttpMethods.IsPost(request.Method))
        {
            if (limits.SignInPerMinute > 0 && (path.Equals("/signin", StringComparison.OrdinalIgnoreCase) || path.Equals("/setup", StringComparison.OrdinalIgnoreCase)))
                return PerWindow("signin:" + client, limits.SignInPerMinute, TimeSpan.FromMinutes(1));
            if (limits.PublicFormsPerMinute > 0 && PublicFormPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                return PerWindow("form:" + client, limits.PublicFormsPerMinute, TimeSpan.FromMinutes(1));
            if (limits.TrackingPerSecond > 0 && path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase))
            {
                // Authentication has run: a valid write key (header or body) is the partition, so one noisy site cannot starve the others.
                var key = http.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.Scheme
                    ? "key:" + http.User.FindFirstValue(ClaimTypes.NameIdentifier)
                    : "client:" + client;
                return PerWindow("track:" + key, limits.TrackingPerSecond, TimeSpan.FromSeconds(1));
            }
        }
        return RateLimitPartition.GetNoLimiter("");
    }

    private static RateLimitPartition<string> PerWindow(string partition, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true,
        });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        http.Response.StatusCode = (int)HttpStatusCode.TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests.",
                Detail = $"This address (or key) sent more requests than Tandem accepts here; try again in {seconds} seconds.",
            },
        });
    }
}
