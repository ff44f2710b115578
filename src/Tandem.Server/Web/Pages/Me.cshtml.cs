using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Notifications;
using Tandem.Server.Notifications.InApp;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages;

/// <summary>
/// Your profile: who you are signed in as, the email signature templates put under emails to your leads, and where
/// each kind of notification reaches you.
/// </summary>
internal sealed class MeModel(Database db, TimeProvider clock, NotificationOptions notifications) : TandemPageModel
{
    public IReadOnlyDictionary<string, Channels> Preferences { get; private set; } = new Dictionary<string, Channels>();

    public bool EmailConfigured => notifications.Smtp.IsConfigured;

    public string? PreferencesError { get; private set; }

    public string? Signature { get; private set; }

    public string? SignatureError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Signature = await SetEmailSignature.ReadAsync(db, Me.Id, ct);
        Preferences = await db.ReadAsync(c => NotificationPreferences.AllAsync(c, Me.Id), ct);
    }

    /// <summary>One choice per kind, posted as pref.KIND = both, in_app, email or none.</summary>
    public async Task<IActionResult> OnPostNotificationsAsync(CancellationToken ct)
    {
        var choices = new Dictionary<string, Channels>();
        foreach (var kind in NotificationKinds.All)
        {
            var posted = Request.Form[$"pref.{kind.Code}"].ToString();
            if (Channels.FromCode(posted) is { } channels) choices[kind.Code] = channels;
            else PreferencesError = $"Choose how “{kind.Label}” reaches you: in the app, by email, both or not at all.";
        }
        if (PreferencesError is not null)
        {
            Signature = await SetEmailSignature.ReadAsync(db, Me.Id, ct);
            Preferences = await db.ReadAsync(c => NotificationPreferences.AllAsync(c, Me.Id), ct);
            Response.StatusCode = 422;
            return Page();
        }
        await db.WriteAsync((c, tx) => NotificationPreferences.SaveAsync(c, tx, Me.Id, choices), ct);
        Tell("Notification choices saved.");
        return Redirect("/me#notifications");
    }

    public async Task<IActionResult> OnPostSignatureAsync([FromForm] string? signature, CancellationToken ct)
    {
        var (value, error) = SetEmailSignature.Check(signature);
        if (error is not null)
        {
            Signature = signature;
            SignatureError = error;
            Preferences = await db.ReadAsync(c => NotificationPreferences.AllAsync(c, Me.Id), ct);
            Response.StatusCode = 422;
            return Page();
        }
        await SetEmailSignature.WriteAsync(db, Me.Id, value, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        Tell(value is null ? "Signature removed." : "Signature saved.");
        return Redirect("/me");
    }
}
