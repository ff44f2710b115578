using System.Net;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Privacy;

/// <summary>Admins erase a person from their page after a confirm step, download what Tandem holds on them, and set retention; nobody else can.</summary>
public abstract class PrivacyPagesTests(DatabaseProvider provider)
{
    [Fact]
    public async Task An_admin_downloads_a_persons_data_and_erases_them_after_confirming_and_a_marketer_can_do_neither()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        var lead = world.UnownedLead;

        var adminPage = await admin.GetPageAsync($"/people/{lead}");
        var mayaPage = await maya.GetPageAsync($"/people/{lead}");
        var mayaErase = await maya.GetAsync($"/admin/people/{lead}/erase");
        var mayaData = await maya.GetAsync($"/admin/people/{lead}/data");
        var download = await admin.GetAsync($"/admin/people/{lead}/data");
        var unconfirmed = await admin.SubmitAsync($"/admin/people/{lead}/erase", new());
        var stillThere = await admin.GetAsync($"/people/{lead}");
        var confirmed = await admin.SubmitAsync($"/admin/people/{lead}/erase", new() { ["confirm"] = "true" });
        var gone = await admin.GetAsync($"/people/{lead}");

        Assert.Contains("data-testid=\"personal-data\"", adminPage);
        Assert.Contains($"/admin/people/{lead}/erase", adminPage);
        Assert.DoesNotContain("data-testid=\"personal-data\"", mayaPage);
        Assert.StartsWith("/forbidden", mayaErase.Headers.Location!.PathAndQuery);
        Assert.StartsWith("/forbidden", mayaData.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"tandem-person-{lead}.json", download.Content.Headers.ContentDisposition!.FileName);
        var data = JsonDocument.Parse(await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("nia@globex.com", data.GetProperty("profile")[0].GetProperty("email").GetString());
        Assert.Equal((HttpStatusCode)422, unconfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/people", confirmed.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.DoesNotContain("nia@globex.com", await admin.GetPageAsync("/people"));
        Assert.Contains("data-testid=\"erased-count\">1<", await admin.GetPageAsync("/admin/privacy"));
        var audit = await admin.GetPageAsync("/settings/audit?action=person.erased");
        Assert.Contains($"person {lead}", audit);
        Assert.Contains(Emails.Admin, audit);
    }

    [Fact]
    public async Task An_admin_sets_retention_on_the_privacy_page_and_a_bad_number_is_refused_naming_the_field()
    {
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);
        using var api = await server.AdminClientAsync();

        var bad = await admin.SubmitAsync("/admin/privacy", new() { ["activitiesDays"] = "0", ["deliveryLogsDays"] = "", ["importErrorsDays"] = "soon" });
        var badPage = await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var saved = await admin.SubmitAsync("/admin/privacy", new() { ["activitiesDays"] = "730", ["deliveryLogsDays"] = "90", ["importErrorsDays"] = "" });
        var policy = await api.GetJsonAsync("/api/v1/settings/retention");

        Assert.Equal((HttpStatusCode)422, bad.StatusCode);
        Assert.Contains("soon&#x27; is not a number of days", badPage);
        Assert.Contains("from 1 to 36500", badPage);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal((730, 90), (policy.GetProperty("activitiesDays").GetInt32(), policy.GetProperty("deliveryLogsDays").GetInt32()));
        Assert.Equal(JsonValueKind.Null, policy.GetProperty("importErrorsDays").ValueKind);
        Assert.Contains("value=\"730\"", await admin.GetPageAsync("/admin/privacy"));
    }
}

public sealed class PrivacyPagesTestsOnSqlite() : PrivacyPagesTests(DatabaseProvider.Sqlite);

public sealed class PrivacyPagesTestsOnPostgres() : PrivacyPagesTests(DatabaseProvider.Postgres);
