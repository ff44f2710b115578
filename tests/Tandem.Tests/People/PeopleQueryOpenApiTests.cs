using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.People;

/// <summary>The filters are read as text, so the OpenAPI document lists them from <see cref="Tandem.Server.People.PeopleQuery.Filters"/>.</summary>
public sealed class PeopleQueryOpenApiTests
{
    [Fact]
    public async Task The_api_document_lists_every_filter_of_the_people_list_and_the_export()
    {
        await using var server = await TandemServer.StartAsync();
        using var client = server.Client();

        var paths = (await client.GetJsonAsync("/openapi/v1.json")).GetProperty("paths");

        foreach (var path in new[] { "/api/v1/people", "/api/v1/people/export" })
        {
            // The list is mapped as "/" in the /api/v1/people group, so its path may carry a trailing slash.
            var operation = paths.EnumerateObject().Single(p => p.Name.TrimEnd('/') == path).Value.GetProperty("get");
            var names = operation.GetProperty("parameters").EnumerateArray()
                .Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.All(Tandem.Server.People.PeopleQuery.Filters, f => Assert.Contains(f.Name, names));
        }
    }
}
