using System.CommandLine;
using System.Text;
using Tandem.Server.Audit;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Cli;

/// <summary>
/// <c>tandem users create</c> and <c>tandem users reset-password</c>: the way to the first admin (or back in) from the
/// server's machine. The password is read from a prompt, or from standard input when it is piped, never from an
/// argument, so it stays out of shell history and the process list.
/// </summary>
internal static class UserCommands
{
    public static Command Create(Func<ParseResult, CancellationToken, Task<Database>> openDatabase)
    {
        var email = new Option<string>("--email") { Description = "The address the user signs in with.", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}.", Required = true };
        var name = new Option<string?>("--name") { Description = "The name shown in Tandem (default: the address's local part)." };
        var create = new Command("create", "Create a user who signs in to the web app; the password is prompted for, or read from standard input.") { email, role, name };
        create.SetAction(async (parse, ct) =>
        {
            var address = parse.GetValue(email)!.Trim();
            var chosen = parse.GetValue(role)!.Trim().ToLowerInvariant();
            if (UserAccounts.CheckEmail(address) is { } emailProblem) return Fail(emailProblem);
            if (!Roles.IsKnown(chosen)) return Fail($"unknown role '{chosen}'; use one of {string.Join(", ", Roles.All)}.");
            if (ReadPassword() is not { } password) return Fail("no password given.");
            if (UserAccounts.CheckPassword(password) is { } passwordProblem) return Fail(passwordProblem);
            var db = await openDatabase(parse, ct);
            var displayName = parse.GetValue(name) is { Length: > 0 } n ? n.Trim() : UserAccounts.DefaultName(address);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using var acting = AuditLog.ActingAs(AuditActor.CommandLine());
            var user = await db.WriteAsync(async (c, tx) =>
            {
                var created = await UserAccounts.CreateAsync(c, tx, address, displayName, chosen, password, now);
                if (created is not null) await AuditLog.WriteAsync(c, tx, now, "user.created", created.Email, new { role = created.Role });
                return created;
            }, ct);
            if (user is null) return Fail($"someone already signs in with {address}; use `tandem users reset-password --email {address}` to set a new password.");
            Console.WriteLine($"created user {user.Id} {user.Email} ({user.Role}); they can sign in now.");
            return 0;
        });

        var resetEmail = new Option<string>("--email") { Description = "The user's address.", Required = true };
        var reset = new Command("reset-password",
            "Set a new password (prompted for, or read from standard input), unlock the account and sign the user out everywhere.") { resetEmail };
        reset.SetAction(async (parse, ct) =>
        {
            var address = parse.GetValue(resetEmail)!.Trim();
            if (ReadPassword() is not { } password) return Fail("no password given.");
            if (UserAccounts.CheckPassword(password) is { } passwordProblem) return Fail(passwordProblem);
            var db = await openDatabase(parse, ct);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using var acting = AuditLog.ActingAs(AuditActor.CommandLine());
            var user = await db.WriteAsync(async (c, tx) =>
            {
                var changed = await UserAccounts.ResetPasswordAsync(c, tx, address, password, now);
                if (changed is not null) await AuditLog.WriteAsync(c, tx, now, "user.password_reset", changed.Email);
                return changed;
            }, ct);
            if (user is null) return Fail($"no user signs in with {address}.");
            Console.WriteLine($"password reset for {user.Email}{(user.IsActive ? "" : " (the account is deactivated: an admin must reactivate it)")}.");
            return 0;
        });
        return new Command("users", "Manage the people who sign in to the web app.") { create, reset };
    }

    /// <summary>One line from standard input when it is piped; otherwise a prompt that does not echo, asked twice.</summary>
    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine()?.TrimEnd('\r', '\n');
        var first = Prompt("Password: ");
        var second = Prompt("Repeat it: ");
        if (first != second) { Console.Error.WriteLine("error: the two passwords differ."); return null; }
        return first;
    }

    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; continue; }
            if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
