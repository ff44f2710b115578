using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Content;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Content;

/// <summary>The content registry: everyone reads it (reps pick from it on the person page); marketing and admins keep it.</summary>
internal sealed class IndexModel(Database db, TimeProvider clock) : TandemPageModel
{
    public IReadOnlyList<AssetDto> Assets { get; private set; } = [];
    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;
    public FormOutcome Outcome { get; private set; } = FormOutcome.Done;

    public async Task OnGetAsync(CancellationToken ct) => Assets = (await ContentAssets.List(true, db, ct)).Value ?? [];

    public async Task<IActionResult> OnPostCreateAsync([FromForm] string? title, [FromForm] string? type, [FromForm] string? urlPattern,
        [FromForm] string? assetKey, [FromForm] string? ownerTeam, CancellationToken ct)
    {
        if (!CanEdit) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        var result = await ContentAssets.Create(new ContentAssets.Request(title, type, urlPattern, assetKey, ownerTeam, null), db, clock, ct);
        Outcome = FormOutcome.Of(result.Result);
        if (Outcome.Succeeded) { Tell($"Added “{title?.Trim()}” to the registry."); return Redirect("/content"); }
        await OnGetAsync(ct);
        Response.StatusCode = 422;
        return Page();
    }

    public async Task<IActionResult> OnPostArchiveAsync([FromForm] long id, [FromForm] bool archived, CancellationToken ct)
    {
        if (!CanEdit) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        var asset = (await ContentAssets.List(true, db, ct)).Value!.FirstOrDefault(a => a.Id == id);
        if (asset is null) return NotFoundPage();
        await ContentAssets.Update(id, new ContentAssets.Request(asset.Title, asset.Type, asset.UrlPattern, asset.AssetKey, asset.OwnerTeam, archived), db, clock, ct);
        Tell(archived ? $"Archived “{asset.Title}”." : $"Restored “{asset.Title}”.");
        return Redirect("/content");
    }
}
