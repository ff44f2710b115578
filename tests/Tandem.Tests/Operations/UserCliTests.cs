using System.Net;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Operations;

/// <summary>`tandem users create` and `reset-password`: the password comes from standard input, never an argument.</summary>
public abstract class UserCliTests(DatabaseProvider provider)
{
    private Task<(int Exit, string Out, string Err)> TandemAsync(string connectionString, string? stdin, params string[] args) =>
        TandemProcess.RunOnAsync(provider, connectionString, stdin, args);

    [Fact]
    public async Task An_admin_created_and_reset_from_the_command_line_signs_in_with_the_password_from_standard_input()
    {
        var (_, cs) = await TestDatabases.CreateMigratedAsync(provider);

        var tooShort = await TandemAsync(cs, "short", "users", "create", "--email", "ops@acme.example", "--role", "admin");
        var created = await TandemAsync(cs, "first-passphrase-1", "users", "create", "--email", "ops@acme.example", "--role", "admin", "--name", "Ops Person");
        var duplicate = await TandemAsync(cs, "first-passphrase-1", "users", "create", "--email", "OPS@acme.example", "--role", "sales_rep");
        var badRole = await TandemAsync(cs, "first-passphrase-1", "users", "create", "--email", "x@acme.example", "--role", "owner");

        Assert.NotEqual(0, tooShort.Exit);
        Assert.Contains("at least 10", tooShort.Err);
        Assert.True(created.Exit == 0, created.Err);
        Assert.NotEqual(0, duplicate.Exit);
        Assert.NotEqual(0, badRole.Exit);

        await using var server = await TandemServer.StartAsync(provider, connectionString: cs);
        using (var first = await WebSession.SignInAsync(server, "ops@acme.example", "first-passphrase-1"))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/admin/users")).StatusCode);

            var reset = await TandemAsync(cs, "second-passphrase-2", "users", "reset-password", "--email", "ops@acme.example");
            var unknown = await TandemAsync(cs, "second-passphrase-2", "users", "reset-password", "--email", "nobody@acme.example");
            Assert.True(reset.Exit == 0, reset.Err);
            Assert.NotEqual(0, unknown.Exit);
            // The reset changed the security stamp: the session signed in with the old password has ended.
            Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync("/admin/users")).StatusCode);
        }

        using var old = WebSession.Anonymous(server);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.SubmitAsync("/signin", new() { ["Email"] = "ops@acme.example", ["Password"] = "first-passphrase-1" })).StatusCode);
        using var again = await WebSession.SignInAsync(server, "ops@acme.example", "second-passphrase-2");
        var users = await server.Database.ReadAsync(c => c.QueryAsync<(string Email, string Name, string Role)>("SELECT email, name, role FROM users"), TestContext.Current.CancellationToken);
        Assert.Equal([("ops@acme.example", "Ops Person", Roles.Admin)], users.ToList());
        var audit = (await server.Database.ReadAsync(c => c.QueryAsync<(string Action, string ActorKind)>(
            "SELECT action, actor_kind FROM audit_log WHERE action LIKE 'user.%' ORDER BY id"), TestContext.Current.CancellationToken)).ToList();
        Assert.Equal([("user.created", "cli"), ("user.password_reset", "cli")], audit);
    }
}

public sealed class UserCliTestsOnSqlite() : UserCliTests(DatabaseProvider.Sqlite);

public sealed class UserCliTestsOnPostgres() : UserCliTests(DatabaseProvider.Postgres);
