using Tandem.Server.Users;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// Settings pages: everyone signed in may read how leads are routed and what the service levels promise (both teams
/// should see the rules they are held to); only admins change them, and the server refuses a change from anyone else.
/// </summary>
public abstract class SettingsPageModel : TandemPageModel
{
    public bool CanEdit => Me.Role == Roles.Admin;

    /// <summary>Field errors of the last refused form, keyed by the API's field names.</summary>
    public FormOutcome Outcome { get; protected set; } = FormOutcome.Done;
}
