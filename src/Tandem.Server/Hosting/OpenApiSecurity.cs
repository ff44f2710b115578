using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Tandem.Server.Hosting;

/// <summary>
/// Describes how to authenticate in the OpenAPI document, so generated clients and API explorers send
/// the key: a bearer API key for /api/v1, and the write key as the HTTP Basic user name for Segment's /v1.
/// </summary>
internal sealed class OpenApiSecurity : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Tandem API";
        document.Info.Description = "Capture, identity, lifecycle and tracking for one shared stream of leads. " +
                                    "Authenticate with 'Authorization: Bearer KEY'; tracking clients send an ingest key as the Basic user name.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "tdm_…",
            Description = "An API key (scopes ingest, read, write, admin), created with 'tandem keys create'.",
        };
        document.Components.SecuritySchemes["writeKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "basic",
            Description = "Segment-compatible tracking: an ingest key as the user name, empty password.",
        };
        return Task.CompletedTask;
    }
}

/// <summary>Marks each operation with the key it needs and the scope that key must carry; anonymous ones with none.</summary>
internal sealed class OpenApiOperationScopes : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var scope = context.Description.ActionDescriptor.EndpointMetadata.OfType<Security.RequiresScopeAttribute>().LastOrDefault()?.Scope;
        if (scope is null) return Task.CompletedTask;
        var document = context.Document;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] }];
        if (scope == Security.Scopes.Ingest)
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("writeKey", document)] = [] });
        operation.Description = string.IsNullOrEmpty(operation.Description)
            ? $"Needs a key with the '{scope}' scope."
            : $"{operation.Description} Needs a key with the '{scope}' scope.";
        return Task.CompletedTask;
    }
}
