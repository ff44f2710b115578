using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages;

/// <summary>Your profile: who you are signed in as, and the email signature templates put under emails to your leads.</summary>
internal sealed class MeModel(Database db, TimeProvider clock) : TandemPageModel
{
    public string? Signature { get; private set; }

    public string? SignatureError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Signature = await SetEmailSignature.ReadAsync(db, Me.Id, ct);

    public async Task<IActionResult> OnPostSignatureAsync([FromForm] string? signature, CancellationToken ct)
    {
        var (value, error) = SetEmailSignature.Check(signature);
        if (error is not null)
        {
            Signature = signature;
            SignatureError = error;
            Response.StatusCode = 422;
            return Page();
        }
        await SetEmailSignature.WriteAsync(db, Me.Id, value, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        Tell(value is null ? "Signature removed." : "Signature saved.");
        return Redirect("/me");
    }
}
