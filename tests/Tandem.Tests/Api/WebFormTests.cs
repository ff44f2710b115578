using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Api;

public abstract class WebFormTests(DatabaseProvider provider)
{
    private static async Task<JsonElement> CreateFormAsync(HttpClient api) =>
        await (await api.PostAsJsonAsync("/api/v1/forms", new
        {
            name = "Demo request", redirectUrl = "https://lumen.example/thanks", honeypotField = "website_url",
            fieldMapping = new Dictionary<string, string>
            {
                ["your-email"] = "email", ["org"] = "company", ["team-size"] = "companySize", ["use_case"] = "custom.use_case",
            },
        })).Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_plain_html_form_post_captures_the_person_and_redirects_to_thank_you()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var form = await CreateFormAsync(api);
        using var browser = server.Client(followRedirects: false);

        var response = await browser.PostAsync(form.GetProperty("action").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["your-email"] = "Lena@Fjord-Energy.com", ["firstName"] = "Lena", ["org"] = "Fjord Energy", ["team-size"] = "51-200",
            ["use_case"] = "pipeline alerts", ["utm_source"] = "linkedin", ["utm_medium"] = "paid-social", ["utm_campaign"] = "li-heads-of-data",
            ["website_url"] = "",
        }), ct);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("https://lumen.example/thanks", response.Headers.Location!.ToString());
        var person = (await api.GetJsonAsync("/api/v1/people?email=lena@fjord-energy.com")).GetProperty("items")[0];
        Assert.Equal("Fjord Energy", person.GetProperty("company").GetString());
        Assert.Equal("51-200", person.GetProperty("companySize").GetString());
        Assert.Equal("pipeline alerts", person.GetProperty("customFields").GetProperty("use_case").GetString());
        Assert.Equal("Paid Social", person.GetProperty("firstTouch").GetProperty("attribution").GetProperty("channel").GetString());
        var timeline = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/timeline?type=form_submitted");
        Assert.Equal("Demo request", timeline.GetProperty("items")[0].GetProperty("properties").GetProperty("form").GetString());
    }

    /// <summary>Regression: every field a bot made up became a custom field on the person, and a column in every export.</summary>
    [Fact]
    public async Task Fields_the_form_does_not_declare_are_ignored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var form = await CreateFormAsync(api);
        using var bot = server.Client(followRedirects: false);

        var response = await bot.PostAsync(form.GetProperty("action").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["your-email"] = "bot@spam.example", ["firstName"] = "Bo", ["use_case"] = "alerts", ["buy_cheap_pills"] = "http://spam.example",
            ["custom.injected"] = "x",
        }), ct);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var person = (await api.GetJsonAsync("/api/v1/people?email=bot@spam.example")).GetProperty("items")[0];
        Assert.Equal("Bo", person.GetProperty("firstName").GetString());
        Assert.Equal(["use_case"], person.GetProperty("customFields").EnumerateObject().Select(f => f.Name));
        var export = await api.GetStringAsync("/api/v1/people/export", ct);
        Assert.DoesNotContain("buy_cheap_pills", export);
        Assert.DoesNotContain("injected", export);
    }

    /// <summary>Regression: anyone could post a public form with a lead's email and overwrite the name and company sales had set.</summary>
    [Fact]
    public async Task An_anonymous_form_fills_in_what_is_missing_but_never_overwrites_what_is_known()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var form = await CreateFormAsync(api);
        var lead = await api.CaptureLeadAsync(new { email = "lena@fjord-energy.com", firstName = "Lena", company = "Fjord Energy", phone = "+47 2222 2222" });
        using var browser = server.Client(followRedirects: false);

        var response = await browser.PostAsync(form.GetProperty("action").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["your-email"] = "lena@fjord-energy.com", ["firstName"] = "Mallory", ["org"] = "Evil Corp", ["phone"] = "+1 900 000 0000",
            ["title"] = "Head of Data", ["team-size"] = "51-200",
        }), ct);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var person = await api.GetJsonAsync($"/api/v1/people/{lead.Id()}");
        Assert.Equal("Lena", person.GetProperty("firstName").GetString());
        Assert.Equal("Fjord Energy", person.GetProperty("company").GetString());
        Assert.Equal("+47 2222 2222", person.GetProperty("phone").GetString());
        Assert.Equal("Head of Data", person.GetProperty("title").GetString());
        Assert.Equal("51-200", person.GetProperty("companySize").GetString());
        var timeline = await api.GetJsonAsync($"/api/v1/people/{lead.Id()}/timeline?type=form_submitted");
        Assert.Equal(1, timeline.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_filled_honeypot_is_answered_like_success_but_stores_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var form = await CreateFormAsync(api);
        using var bot = server.Client(followRedirects: false);

        var response = await bot.PostAsync(form.GetProperty("action").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["your-email"] = "bot@spam.example", ["website_url"] = "http://spam.example",
        }), ct);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people"), ct));
    }

    [Fact]
    public async Task A_form_without_a_valid_email_is_a_problem_naming_email()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var form = await CreateFormAsync(api);
        using var browser = server.Client(followRedirects: false);
        var response = await browser.PostAsync(form.GetProperty("action").GetString(),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["your-email"] = "not an email" }), ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("email", out _));
        var unknown = await browser.PostAsync("/f/frm_nope", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "a@b.io" }), ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_form_with_declared_fields_is_checked_changed_in_place_and_lists_its_submissions()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        object Body(string name, object[] fields, long? campaignId = null) => new { name, fields, campaignId, confirmationMessage = "Thanks!" };

        var refused = await api.PostAsJsonAsync("/api/v1/forms", Body("Demo", [new { field = "firstName", label = "Name", required = true }], campaignId: 999), ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("fields", out _), "a form without the email is refused");
        Assert.True(errors.TryGetProperty("campaignId", out _), "an unknown campaign is refused");

        var created = await (await api.PostAsJsonAsync("/api/v1/forms", Body("Demo",
            [new { field = "email", label = "Email", required = true }, new { field = "company", label = "Company", required = true }]), ct))
            .Content.ReadFromJsonAsync<JsonElement>(ct);
        var id = created.GetProperty("id").GetInt64();
        var key = created.GetProperty("formKey").GetString();
        Assert.Equal($"/f/{key}", created.GetProperty("hostedPage").GetString());
        var changed = await api.PutAsJsonAsync($"/api/v1/forms/{id}", Body("Demo (new)", [new { field = "email", label = "Email", required = true }]), ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(key, (await api.GetJsonAsync($"/api/v1/forms/{id}")).GetProperty("formKey").GetString());

        using var browser = server.Client(followRedirects: false);
        (await browser.PostAsync($"/f/{key}", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "pat@contoso.com" }), ct))
            .EnsureSuccessStatusCode();
        var submissions = await api.GetJsonAsync($"/api/v1/forms/{id}/submissions");
        Assert.Equal(1, submissions.GetProperty("total").GetInt64());
        Assert.Equal("pat@contoso.com", submissions.GetProperty("items")[0].GetProperty("email").GetString());
    }
}

public sealed class WebFormTestsOnSqlite() : WebFormTests(DatabaseProvider.Sqlite);

public sealed class WebFormTestsOnPostgres() : WebFormTests(DatabaseProvider.Postgres);
