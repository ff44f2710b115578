using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages;

/// <summary>Email and password sign-in; five wrong passwords lock the account for 15 minutes.</summary>
internal sealed class SignInModel(SignInManager<UserRow> signIn, UserManager<UserRow> users) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your email and password.";
            return Page();
        }
        var user = await users.FindByNameAsync(Email.Trim());
        // The same answer for an unknown email and a wrong password, so the form does not reveal who has an account.
        if (user is null) { Error = "That email and password do not match."; return Page(); }
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded) return LocalRedirect(SafeReturnUrl());
        Error = result switch
        {
            { IsLockedOut: true } => "This account is locked after too many failed attempts. Try again in 15 minutes, or ask an admin.",
            { IsNotAllowed: true } => "This account has been deactivated. Ask an admin to reactivate it.",
            _ => "That email and password do not match.",
        };
        Response.StatusCode = result.IsLockedOut ? 423 : 401;
        return Page();
    }

    private string SafeReturnUrl() => ReturnUrl is { } url && Url.IsLocalUrl(url) && !url.StartsWith("/signin", StringComparison.OrdinalIgnoreCase) ? url : "/";
}
