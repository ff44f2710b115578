using Microsoft.OpenApi;

namespace Tandem.Server.People;

/// <summary>
/// Lists <see cref="PeopleQuery"/>'s filters as an endpoint's query parameters in the OpenAPI document. The
/// endpoints read the filters as text (so a bad value is a problem naming its field, not a binding failure),
/// which leaves nothing for the document to discover on its own.
/// </summary>
internal static class PeopleQueryOpenApi
{
    public static RouteHandlerBuilder WithPeopleQueryParameters(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, means) in PeopleQuery.Filters)
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name, In = ParameterLocation.Query, Description = means, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            return Task.CompletedTask;
        });
}
