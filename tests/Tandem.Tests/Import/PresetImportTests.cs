using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Import;

/// <summary>Each preset on a realistic export written from that system's documented columns, quirks included.</summary>
public abstract class PresetImportTests(DatabaseProvider provider)
{
    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static async Task<JsonElement> PersonAsync(HttpClient api, TandemServer server, string source, string id) =>
        await api.GetJsonAsync($"/api/v1/people/{await server.Database.PersonIdAsync(source, id)}");

    [Fact]
    public async Task Salesforce_leads_report_maps_statuses_to_stages_and_skips_the_report_footer()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var job = await api.ImportAsync(ImportApi.Sample("salesforce-leads-report.csv"), "salesforce");

        Assert.Equal((6, 1, 2), (job.Count("created"), job.Count("errors"), job.Count("skipped")));
        var jonas = await PersonAsync(api, server, "salesforce", "00Q5g00000A1bCeEAF");
        Assert.Equal("SAL", Str(jonas, "stage"));
        Assert.True(jonas.GetProperty("consent").GetProperty("doNotCall").GetBoolean());
        Assert.Equal("Events", jonas.GetProperty("firstTouch").GetProperty("attribution").GetProperty("channel").GetString());
        Assert.Contains("demo\nin April", jonas.GetProperty("customFields").GetProperty("description").GetString());
        var amara = await PersonAsync(api, server, "salesforce", "00Q5g00000A1bCfEAF");
        Assert.Equal(("amara.okafor@lagoshealth.example", "SQL"), (Str(amara, "email"), Str(amara, "stage")));
        Assert.Equal("Converted to opportunity \"Platform rollout\"", amara.GetProperty("customFields").GetProperty("description").GetString());
        var tom = await PersonAsync(api, server, "salesforce", "00Q5g00000A1bCgEAF");
        Assert.Equal("Disqualified", Str(tom, "stage"));
        Assert.True(tom.GetProperty("consent").GetProperty("doNotEmail").GetBoolean());
        var stages = await api.GetJsonAsync($"/api/v1/people/{tom.Id()}/stages");
        Assert.Equal("bad-fit", stages[stages.GetArrayLength() - 1].GetProperty("reasonCode").GetString());
        var hannah = await PersonAsync(api, server, "salesforce", "00Q5g00000A1bCjEAF");
        Assert.Equal(("Recycled", "Düsseldorf"), (Str(hannah, "stage"), Str(hannah, "city")));
    }

    [Fact]
    public async Task Hubspot_contacts_export_keeps_lifecycle_stages_sources_and_engagement()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var job = await api.ImportAsync(ImportApi.Sample("hubspot-contacts.csv"));

        Assert.Equal("hubspot", job.GetProperty("detectedPreset").GetString());
        Assert.Equal((7, 1), (job.Count("created"), job.Count("errors")));
        var maya = await PersonAsync(api, server, "hubspot", "51");
        Assert.Equal(("MQL", "Organic Search", "BrightPath AB"), (Str(maya, "stage"),
            maya.GetProperty("firstTouch").GetProperty("attribution").GetProperty("channel").GetString(), Str(maya, "company")));
        Assert.Equal("brightpath.example", maya.GetProperty("account").GetProperty("domain").GetString());
        var lucas = await PersonAsync(api, server, "hubspot", "58");
        Assert.Equal(maya.GetProperty("account").GetProperty("id").GetInt64(), lucas.GetProperty("account").GetProperty("id").GetInt64());
        Assert.Equal("Customer", Str(lucas, "stage")); // Evangelist
        var kenji = await PersonAsync(api, server, "hubspot", "54");
        Assert.Equal("Subscriber", Str(kenji, "stage"));
        Assert.True(kenji.GetProperty("consent").GetProperty("unsubscribed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, kenji.GetProperty("account").ValueKind); // gmail.com is never an account
        var views = await server.Database.ScalarAsync(
            "SELECT COUNT(*) FROM activities WHERE person_id = @id AND type = 'page_views' AND properties LIKE '%\"count\":23%'", new { id = maya.Id() });
        Assert.Equal(1, views);
    }

    [Fact]
    public async Task Mautic_contacts_export_reads_position_as_title_and_title_as_salutation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var job = await api.ImportAsync(ImportApi.Sample("mautic-contacts.csv"));

        Assert.Equal("mautic", job.GetProperty("detectedPreset").GetString());
        Assert.Equal((5, 1), (job.Count("created"), job.Count("errors")));
        var chloe = await PersonAsync(api, server, "mautic", "1201");
        Assert.Equal(("Chloé", "Directrice marketing", "MQL"), (Str(chloe, "firstName"), Str(chloe, "title"), Str(chloe, "stage")));
        Assert.Equal("Mrs", chloe.GetProperty("customFields").GetProperty("salutation").GetString());
        Assert.Equal("85", chloe.GetProperty("customFields").GetProperty("mautic_points").GetString());
        var marco = await PersonAsync(api, server, "mautic", "1205"); // no email: known by its Mautic id
        Assert.Equal("Recycled", Str(marco, "stage"));
        var errors = ImportApi.ParseCsv(await api.GetStringAsync($"/api/v1/imports/{job.Id()}/errors", ct));
        Assert.Equal(("7", "stage", "Warm"), (errors[0]["row"], errors[0]["column"], errors[0]["value"]));
    }

    [Fact]
    public async Task Pipedrive_persons_export_in_windows_1252_with_semicolons_reads_names_consent_and_won_deals()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var job = await api.ImportAsync(ImportApi.Sample("pipedrive-persons.csv"));

        Assert.Equal(("pipedrive", "windows-1252", "semicolon"), (job.GetProperty("detectedPreset").GetString(),
            job.GetProperty("encoding").GetString(), job.GetProperty("delimiter").GetString()));
        Assert.Equal((4, 1), (job.Count("created"), job.Count("errors")));
        var jurgen = await PersonAsync(api, server, "pipedrive", "301");
        Assert.Equal(("Jürgen", "Müller", "Geschäftsführer", "MQL"), (Str(jurgen, "firstName"), Str(jurgen, "lastName"), Str(jurgen, "title"), Str(jurgen, "stage")));
        var zoe = await PersonAsync(api, server, "pipedrive", "302");
        Assert.Equal(("Zoë", "Fontaine", "Customer"), (Str(zoe, "firstName"), Str(zoe, "lastName"), Str(zoe, "stage")));
        Assert.True(zoe.GetProperty("consent").GetProperty("unsubscribed").GetBoolean());
        Assert.Equal("zoe.fontaine@orange.example", zoe.GetProperty("customFields").GetProperty("email_home").GetString());
        Assert.Equal("Rue Saint-Honoré 5; Paris", zoe.GetProperty("customFields").GetProperty("person_-_postal_address").GetString());
    }
}

public sealed class PresetImportTestsOnSqlite() : PresetImportTests(DatabaseProvider.Sqlite);

[Collection(LargeImports.Name)]
public sealed class PresetImportTestsOnPostgres() : PresetImportTests(DatabaseProvider.Postgres);
