using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Tandem.Server.Hosting;

/// <summary>
/// Turns the framework's bad-request failures (malformed JSON, oversized bodies) into problem
/// documents that say where the body went wrong, instead of an empty 400.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var json = FindJsonException(bad);
        context.Response.StatusCode = bad.StatusCode;

        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = bad.StatusCode };
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            problem.Title = "The request body is too large.";
            problem.Detail = bad.Message;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [bad.Message] };
        }
        else if (json is not null)
        {
            var where = json.Path ?? "$";
            problem.Title = "The request body is not valid JSON.";
            problem.Detail = $"Malformed JSON at {where} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}): {FirstSentence(json.Message)}";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [where] = [FirstSentence(json.Message)] };
        }
        else
        {
            problem.Title = "The request is not valid.";
            problem.Detail = bad.Message;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [bad.Message] };
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static JsonException? FindJsonException(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is JsonException j) return j;
        return null;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
