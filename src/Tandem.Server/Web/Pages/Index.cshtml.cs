using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Home;
using Tandem.Server.Web.Inbox;

namespace Tandem.Server.Web.Pages;

internal sealed class IndexModel(Database db, SharedNumbersCache numbers) : TandemPageModel
{
    public SharedNumbers.Numbers Numbers { get; private set; } = null!;

    /// <summary>For reps and managers: how many open leads wait in their inbox.</summary>
    public int? MyOpenLeads { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Numbers = await numbers.GetAsync(ct);
        if (Me.Role is Roles.SalesRep or Roles.SalesManager)
            MyOpenLeads = (int)await db.ReadAsync(c => InboxQuery.CountAsync(c, Scope), ct);
    }
}
