using Microsoft.AspNetCore.Mvc;

namespace Tandem.Server.Hosting;

/// <summary>
/// Bodiless error responses (404 for an unknown route, 405, 413…) become problem documents. An
/// oversized body gets one that says the limit: the framework answers 413 itself while binding, before
/// any exception handler sees it, so this is the one place that can explain it.
/// </summary>
internal static class StatusCodeProblems
{
    public static IApplicationBuilder UseStatusCodeProblems(this IApplicationBuilder app, TandemOptions options) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var problem = new ProblemDetails { Status = http.Response.StatusCode };
            if (problem.Status == StatusCodes.Status413PayloadTooLarge)
            {
                var reason = $"Request bodies are limited to {options.MaxRequestBodyBytes:N0} bytes (setting Tandem__MaxRequestBodyBytes).";
                problem.Title = "The request body is too large.";
                problem.Detail = reason;
                problem.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [reason] };
            }
            await http.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
        });
}
