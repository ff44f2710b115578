using System.Net;
using System.Text.Json;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Privacy;

/// <summary>A subject access request: everything Tandem holds on one person, as JSON, for admins only, and audited.</summary>
public abstract class PersonDataExportTests(DatabaseProvider provider)
{
    private static IEnumerable<JsonElement> Rows(JsonElement export, string section) => export.GetProperty(section).EnumerateArray();

    [Fact]
    public async Task The_export_holds_profile_consent_activities_stages_scores_notes_and_emails_and_is_audited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var reader = server.Client(await server.CreateKeyAsync(Scopes.Read));
        var world = await PersonalDataWorld.CreateAsync(server, api);

        var export = await api.GetJsonAsync($"/api/v1/people/{world.Zelda}/data-export");
        var viaMerged = await api.GetJsonAsync($"/api/v1/people/{world.Duplicate}/data-export");
        var denied = await reader.GetAsync($"/api/v1/people/{world.Zelda}/data-export", ct);
        var unknown = await api.GetAsync("/api/v1/people/99999/data-export", ct);

        var profile = Assert.Single(Rows(export, "profile"));
        Assert.Equal((PersonalDataWorld.Email, "Quist"), (profile.GetProperty("email").GetString(), profile.GetProperty("lastName").GetString()));
        Assert.Equal("quist teal", profile.GetProperty("customFields").GetProperty("favourite_colour").GetString());
        Assert.Equal(JsonValueKind.String, profile.GetProperty("createdAt").ValueKind); // instants read as dates
        Assert.Equal("Zelda", Assert.Single(Rows(export, "mergedRecords")).GetProperty("firstName").GetString());
        Assert.Equal(PersonalDataWorld.PrivateEmail, Assert.Single(Rows(export, "merges")).GetProperty("mergedBefore").GetProperty("email").GetString());
        Assert.Contains(Rows(export, "externalIds"), x => x.GetProperty("externalId").GetString() == "ZQ-1");
        Assert.Contains(Rows(export, "anonymousIds"), x => x.GetProperty("anonymousId").GetString() == "anon-zq-1");
        Assert.Contains(Rows(export, "activities"), a => a.GetProperty("type").GetString() == "note"
            && a.GetProperty("properties").GetProperty("text").GetString() == "Zelda prefers calls after 4pm");
        Assert.Contains(Rows(export, "activities"), a => a.GetProperty("type").GetString() == "page_view");
        Assert.Contains(Rows(export, "stageHistory"), s => s.GetProperty("toStage").GetString() == "MQL" && s.GetProperty("reasonText").GetString() == "Zelda asked for a demo");
        Assert.NotEmpty(Rows(export, "scoreHistory"));
        Assert.Equal("Hello Zelda", Assert.Single(Rows(export, "emailsSent")).GetProperty("subject").GetString());
        Assert.Equal("Reply from Zelda Quist", Assert.Single(Rows(export, "emailEvents")).GetProperty("detail").GetString());
        Assert.Equal("opted_in", Assert.Single(Rows(export, "consentLog")).GetProperty("action").GetString());
        Assert.Equal("Call Zelda Quist", Assert.Single(Rows(export, "tasks")).GetProperty("title").GetString());
        Assert.Contains(Rows(export, "notifications"), n => n.GetProperty("event").GetString() == "lead.unassigned"
            && n.GetProperty("payload").GetProperty("person").GetProperty("lastName").GetString() == "Quist");
        Assert.Contains(PersonalDataWorld.Email, Assert.Single(Rows(export, "importErrors")).GetProperty("value").GetString());
        Assert.Equal(world.Zelda, viaMerged.GetProperty("personId").GetInt64()); // a merged-away id answers with the survivor's data
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var audit = (await api.GetJsonAsync("/api/v1/audit?action=export.person_data")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, e => Assert.Equal($"person {world.Zelda}", e.GetProperty("target").GetString()));
        Assert.All(audit, e => Assert.DoesNotContain("zelda", e.GetRawText(), StringComparison.OrdinalIgnoreCase));
    }
}

public sealed class PersonDataExportTestsOnSqlite() : PersonDataExportTests(DatabaseProvider.Sqlite);

public sealed class PersonDataExportTestsOnPostgres() : PersonDataExportTests(DatabaseProvider.Postgres);
