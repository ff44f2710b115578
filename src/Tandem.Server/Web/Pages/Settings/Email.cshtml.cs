using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Email;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>
/// The workspace's email settings: who email comes from, the postal address in every marketing footer, opt-in, the
/// frequency cap and the brand — and, first, whether email can go at all and what is missing. Marketing runs email,
/// so marketing and admins change it; everyone else reads it. The form calls the API's own handler.
/// </summary>
internal sealed class EmailModel(Database db, EmailOptions options) : SettingsPageModel
{
    public override bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;

    public ManageEmailSettings.Dto Current { get; private set; } = null!;

    public ManageEmailSettings.Request Form { get; private set; } = new(null, null, null, null, null, null, null, null);

    public string SmtpHost => options.Smtp.IsConfigured ? $"{options.Smtp.Host}:{options.Smtp.Port}" : "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync([FromForm] ManageEmailSettings.Request form, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var result = await ManageEmailSettings.Put(form, db, options, ct);
        if (result.Result is Ok<ManageEmailSettings.Dto>)
        {
            Tell("Email settings saved.");
            return Redirect("/settings/email");
        }
        await LoadAsync(ct);
        Form = form;
        return Refused(FormOutcome.Of(result.Result));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Current = (await ManageEmailSettings.Get(db, options, ct)).Value!;
        Form = new(Current.FromName, Current.FromAddress, Current.ReplyTo, Current.PhysicalAddress, Current.RequireOptIn, Current.FrequencyCap,
            Current.CompanyName, Current.BrandColor);
    }
}
