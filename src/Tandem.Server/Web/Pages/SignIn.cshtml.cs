using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tandem.Server.Audit;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages;

/// <summary>Email and password sign-in; five wrong passwords lock the account for 15 minutes.</summary>
internal sealed class SignInModel(SignInManager<UserRow> signIn, UserManager<UserRow> users, Database db, TimeProvider clock) : PageModel
{
    /// <summary>
    /// Every failed sign-in gets this answer and status, whether the email is unknown, the password wrong, or the account
    /// locked or deactivated, so the form does not reveal who has an account. The audit log keeps the real reason for admins.
    /// </summary>
    public const string Failed = "That email and password do not match, or this account cannot sign in now. " +
                                 "After five failed attempts an account is locked for 15 minutes; an admin can help.";

    // Verifying against a throwaway hash when the email is unknown makes that answer take as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => UserStore.HashPassword(new UserRow(), Guid.NewGuid().ToString()));

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your email and password.";
            return Page();
        }
        var email = Email.Trim();
        var user = await users.FindByNameAsync(email);
        string reason;
        if (user is null)
        {
            _ = UserStore.VerifyPassword(new UserRow { PasswordHash = DecoyHash.Value }, Password);
            reason = "unknown email";
        }
        else
        {
            var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                await RecordAsync("signin.succeeded", user.Email, null, new AuditActor("user", user.Id.ToString(), user.Email), ct);
                return LocalRedirect(SafeReturnUrl());
            }
            reason = result switch
            {
                { IsLockedOut: true } => "locked out",
                { IsNotAllowed: true } => "deactivated",
                _ => "wrong password",
            };
        }
        await RecordAsync("signin.failed", email.Length > 200 ? email[..200] : email, new { reason }, null, ct);
        Error = Failed;
        Response.StatusCode = 401;
        return Page();
    }

    private Task RecordAsync(string action, string target, object? detail, AuditActor? actor, CancellationToken ct) =>
        db.WriteAsync((c, tx) => AuditLog.WriteAsync(c, tx, clock.GetUtcNow().ToUnixTimeMilliseconds(), action, target, detail, actor), ct);

    private string SafeReturnUrl() => ReturnUrl is { } url && Url.IsLocalUrl(url) && !url.StartsWith("/signin", StringComparison.OrdinalIgnoreCase) ? url : "/";
}
