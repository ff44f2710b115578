using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages;

/// <summary>
/// The first admin of a workspace nobody can sign in to yet, through the one-time link the server prints in its log
/// (<see cref="FirstAdminSetup"/>). Once anyone has an account the link answers "not valid".
/// </summary>
internal sealed class SetupModel(FirstAdminSetup setup, SignInManager<UserRow> signIn) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Password { get; set; }

    public bool LinkValid { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        LinkValid = await setup.IsValidAsync(Token, ct);
        if (!LinkValid) Response.StatusCode = 404;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (outcome, user) = await setup.CreateAdminAsync(Token, Email, Name, Password, ct);
        switch (outcome)
        {
            case FirstAdminSetup.Outcome.Created:
                await signIn.SignInAsync(user!, isPersistent: false);
                TempData["Flash"] = $"Welcome, {user!.Name}. You are the first admin: add your team under Admin › Users.";
                return LocalRedirect("/");
            case FirstAdminSetup.Outcome.LinkNotValid:
                LinkValid = false;
                Response.StatusCode = 404;
                return Page();
            default:
                LinkValid = true;
                Errors = outcome == FirstAdminSetup.Outcome.EmailProblem
                    ? new Dictionary<string, string> { ["Email"] = UserAccounts.CheckEmail(Email)! }
                    : new Dictionary<string, string> { ["Password"] = UserAccounts.CheckPassword(Password)! };
                Response.StatusCode = 422;
                return Page();
        }
    }
}
