using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Activities;
using Tandem.Server.Content;
using Tandem.Server.People;

namespace Tandem.Server.Web.Pages.Content;

/// <summary>The person page's "sent content" form posts here: records the share for a lead the user may see, then goes back.</summary>
internal sealed class ShareModel(Consequences consequences, PersonEvents events, TimeProvider clock, Storage.Database db) : TandemPageModel
{
    public IActionResult OnGet() => NotFoundPage();

    public async Task<IActionResult> OnPostAsync([FromForm] long personId, [FromForm] long? assetId, [FromForm] string? note, CancellationToken ct)
    {
        if (await db.ReadAsync(c => Scope.FindAsync(c, null, personId), ct) is null) return NotFoundPage();
        var result = await ShareContent.RecordAsync(personId, new ShareContent.Request(assetId, note), Actor, consequences, events, clock, ct);
        if (result.Result is Created<ActivityDto>) Tell("Recorded the content you sent.");
        else Tell(Tandem.Server.Web.Settings.FormOutcome.Of(result.Result).Summary([]) ?? "Could not record it.", error: true);
        return Redirect($"/people/{personId}");
    }
}
