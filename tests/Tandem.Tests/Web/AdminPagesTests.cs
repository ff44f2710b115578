using System.Net;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

public abstract class AdminPagesTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_new_user_with_a_short_password_is_refused_and_not_created()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var response = await admin.SubmitAsync("/admin/users?handler=Create", new()
            { ["Input.Email"] = "short@t.example", ["Input.Name"] = "Short Pass", ["Input.Role"] = "sales_rep", ["Input.Password"] = "abc" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("at least 10 characters", await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE email = 'short@t.example'"), ct));
    }

    [Fact]
    public async Task Changing_a_users_role_signs_them_out_and_their_next_sign_in_has_the_new_scope()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        await admin.SubmitAsync("/admin/users?handler=Role", new() { ["id"] = world.Users[Emails.Riley].ToString(), ["role"] = "marketing" });
        var stale = await riley.GetAsync("/people");
        using var again = await WebSession.SignInAsync(server, Emails.Riley);
        var list = await again.GetPageAsync("/people");

        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Contains($"/people/{world.AnaLead}\"", list);
    }

    [Fact]
    public async Task An_admin_cannot_deactivate_themselves()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        await admin.SubmitAsync("/admin/users?handler=Active", new() { ["id"] = world.Users[Emails.Admin].ToString(), ["active"] = "false" });

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
        Assert.Equal(1, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT active FROM users WHERE id = @id", new { id = world.Users[Emails.Admin] }), ct));
    }

    [Fact]
    public async Task A_revoked_key_made_on_the_keys_page_stops_working()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var created = await admin.SubmitAsync("/admin/keys?handler=Create", new() { ["name"] = "CRM sync" }, repeated: [new("scopes", "read")]);
        // The key is shown once on the page the browser is sent to; loading that page again shows it no more.
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var shown = await admin.GetPageAsync(created.Headers.Location!.OriginalString);
        var key = System.Text.RegularExpressions.Regex.Match(shown, "data-testid=\"new-key\">([^<]+)<").Groups[1].Value;
        Assert.DoesNotContain("data-testid=\"new-key\"", await admin.GetPageAsync(created.Headers.Location!.OriginalString));
        var id = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM api_keys WHERE name = 'CRM sync'"), ct);
        await admin.SubmitAsync("/admin/keys?handler=Revoke", new() { ["id"] = id.ToString() });
        // The key was never used before it was revoked, so no verification of it is cached.
        using var api = server.Client(key);

        Assert.StartsWith("tdm_", key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/people", ct)).StatusCode);
    }

    [Fact]
    public async Task A_key_without_a_scope_is_refused_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);

        var response = await admin.SubmitAsync("/admin/keys?handler=Create", new() { ["name"] = "No scopes" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Choose at least one scope.", await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE name = 'No scopes'"), ct));
    }
}

public sealed class AdminPagesTestsOnSqlite() : AdminPagesTests(DatabaseProvider.Sqlite);

public sealed class AdminPagesTestsOnPostgres() : AdminPagesTests(DatabaseProvider.Postgres);
