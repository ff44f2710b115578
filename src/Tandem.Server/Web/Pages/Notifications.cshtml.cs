using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Notifications.InApp;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Pages;

/// <summary>Your notifications, newest first: each leads to the thing it is about; read, unread, and all read at once.</summary>
internal sealed class NotificationsModel(Database db, TimeProvider clock) : TandemPageModel
{
    [BindProperty(SupportsGet = true)] public bool Unread { get; set; }

    [BindProperty(SupportsGet = true)] public long? Before { get; set; }

    public InAppPage List { get; private set; } = new([], 0, null);

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task OnGetAsync(CancellationToken ct) =>
        List = await db.ReadAsync(c => InAppNotifications.PageAsync(c, Me.Id, Unread, Before), ct);

    /// <summary>Following a notification marks it read and goes to what it is about.</summary>
    public async Task<IActionResult> OnGetOpenAsync(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var link = await db.WriteAsync((c, tx) => InAppNotifications.MarkAsync(c, tx, Me.Id, id, read: true, now), ct);
        return link is null ? NotFoundPage() : LocalRedirect(link);
    }

    public async Task<IActionResult> OnPostMarkAsync([FromForm] long id, [FromForm] bool read, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var link = await db.WriteAsync((c, tx) => InAppNotifications.MarkAsync(c, tx, Me.Id, id, read, now), ct);
        if (link is null) return NotFoundPage();
        return Redirect(Back());
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var marked = await db.WriteAsync((c, tx) => InAppNotifications.MarkAllReadAsync(c, tx, Me.Id, now), ct);
        Tell(marked == 0 ? "Nothing was unread." : marked == 1 ? "1 notification marked read." : $"{marked:N0} notifications marked read.");
        return Redirect(Back());
    }

    /// <summary>Where the list was: the same filter and page.</summary>
    private string Back() =>
        "/notifications" + (Unread || Before is not null ? "?" + string.Join('&', new[] { Unread ? "unread=true" : null, Before is { } b ? $"before={b}" : null }.Where(x => x is not null)) : "");

    /// <summary>"3 minutes ago", "yesterday 14:05", "Nov 20".</summary>
    public string When(DateTimeOffset at)
    {
        var gone = Now - at;
        if (gone < TimeSpan.FromMinutes(1)) return "just now";
        if (gone < TimeSpan.FromHours(1)) return $"{(int)gone.TotalMinutes} min ago";
        if (gone < TimeSpan.FromHours(24)) return $"{(int)gone.TotalHours} h ago";
        return at.UtcDateTime.ToString(at.Year == Now.Year ? "MMM d, HH:mm" : "MMM d yyyy", System.Globalization.CultureInfo.InvariantCulture);
    }
}
