using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;

namespace Tandem.Server.Security;

internal static class ApiKeyEndpoints
{
    public sealed record CreateKeyRequest(string? Name, List<string>? Scopes);

    /// <summary>The new key is shown once, here; only its hash is kept.</summary>
    public sealed record CreatedKey(ApiKeyInfo Info, string Key);

    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/keys").WithTags("API keys").RequireScope(Scopes.Admin);
        keys.MapGet("/", async (ApiKeyStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)))
            .WithSummary("List API keys (never the keys themselves).");
        keys.MapPost("/", Create).WithSummary("Create an API key; the response is the only time the key is shown.");
        keys.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, ApiKeyStore store, CancellationToken ct) =>
                await store.RevokeAsync(id.ToString(), ct) ? TypedResults.NoContent() : Problems.NotFound("API key", id))
            .WithSummary("Revoke an API key.");
        return app;
    }

    private static async Task<Results<Created<CreatedKey>, ValidationProblem>> Create(CreateKeyRequest request, ApiKeyStore store, CancellationToken ct)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(request.Name)) v.Add("name", "A name saying who uses the key is required.");
        if (request.Scopes is not { Count: > 0 }) v.Add("scopes", $"At least one scope is required: {string.Join(", ", Scopes.All)}.");
        foreach (var s in request.Scopes ?? [])
            if (!Scopes.IsKnown(s)) v.Add("scopes", $"'{s}' is not a scope; use {string.Join(", ", Scopes.All)}.");
        if (!v.IsValid) return v.ToProblem();
        var (info, key) = await store.CreateAsync(request.Name!.Trim(), request.Scopes!.Distinct().ToList(), ct);
        return TypedResults.Created($"/api/v1/keys/{info.Id}", new CreatedKey(info, key));
    }
}
