using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Tandem.Server.Security;

namespace Tandem.Server.Web.Pages.Admin;

/// <summary>Admins create API keys for integrations (shown once, then only their prefix), see when each was last used, and revoke them.</summary>
internal sealed class KeysModel(ApiKeyStore keys, IMemoryCache shownOnce) : TandemPageModel
{
    /// <summary>
    /// A new key is shown on the page the browser is redirected to (so reloading it creates nothing): the key waits
    /// server-side under a random one-time ticket for a minute, and the first page that presents the ticket takes it.
    /// </summary>
    private static readonly TimeSpan TicketLife = TimeSpan.FromMinutes(1);

    public IReadOnlyList<ApiKeyInfo> Keys { get; private set; } = [];
    public string? NewKey { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync([FromQuery] string? created, CancellationToken ct)
    {
        if (created is { Length: > 0 } && shownOnce.TryGetValue(Ticket(created), out string? key))
        {
            shownOnce.Remove(Ticket(created));
            NewKey = key;
        }
        Keys = await keys.ListAsync(ct);
    }

    private static string Ticket(string ticket) => "new-api-key:" + ticket;

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
            var ticket = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            shownOnce.Set(Ticket(ticket), key, TicketLife);
            return Redirect($"/admin/keys?created={ticket}");
        }
        Errors = errors;
        Response.StatusCode = 422;
        Keys = await keys.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync([FromForm] long id, CancellationToken ct)
    {
        Tell(await keys.RevokeAsync(id.ToString(), ct) ? "Key revoked. Integrations using it stop working within seconds." : "That key was already revoked.");
        return Redirect("/admin/keys");
    }
}
