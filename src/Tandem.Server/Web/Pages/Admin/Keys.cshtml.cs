using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Security;

namespace Tandem.Server.Web.Pages.Admin;

/// <summary>Admins create API keys for integrations (shown once, then only their prefix), see when each was last used, and revoke them.</summary>
public sealed class KeysModel(ApiKeyStore keys) : TandemPageModel
{
    public IReadOnlyList<ApiKeyInfo> Keys { get; private set; } = [];
    public string? NewKey { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct) => Keys = await keys.ListAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync([FromForm] string? name, [FromForm] string[]? scopes, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100) errors["name"] = "Name the key after who uses it (1–100 characters).";
        var chosen = (scopes ?? []).Distinct().ToList();
        if (chosen.Count == 0) errors["scopes"] = "Choose at least one scope.";
        else if (chosen.FirstOrDefault(s => !Scopes.IsKnown(s)) is { } unknown) errors["scopes"] = $"'{unknown}' is not a scope.";
        if (errors.Count == 0)
        {
            var (_, key) = await keys.CreateAsync(name!.Trim(), chosen, ct);
            NewKey = key;
        }
        else
        {
            Errors = errors;
            Response.StatusCode = 422;
        }
        Keys = await keys.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync([FromForm] long id, CancellationToken ct)
    {
        Tell(await keys.RevokeAsync(id.ToString(), ct) ? "Key revoked. Integrations using it stop working within seconds." : "That key was already revoked.");
        return Redirect("/admin/keys");
    }
}
