using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Accounts;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Server.Web.Accounts;

namespace Tandem.Server.Web.Pages.Accounts;

/// <summary>
/// One account: its fields and engagement, its people with stage, score and owner, recent activity across them and
/// the hand-offs waiting on sales. Sales see it through their leads; an account with none of them answers 404.
/// </summary>
internal sealed class AccountModel(Database db, ScoringModels models, TimeProvider clock) : TandemPageModel
{
    [FromRoute] public long Id { get; set; }
    public AccountRow Account { get; private set; } = null!;
    public AccountEngagement Engagement { get; private set; } = AccountEngagement.Of(null);
    public IReadOnlyList<AccountDetail.PersonLine> People { get; private set; } = [];
    public IReadOnlyList<AccountDetail.PersonLine> Handoffs { get; private set; } = [];
    public IReadOnlyList<AccountDetail.ActivityLine> Activity { get; private set; } = [];
    public IReadOnlyList<string> Countries { get; private set; } = [];
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Engagement = AccountEngagement.Of((await models.ActiveAsync(ct))?.Model);
        var found = await db.ReadAsync(async c =>
        {
            var account = await AccountList.FindAsync(c, Id, AccountDetail.Viewer(Scope), Engagement);
            if (account is null) return false;
            Account = account;
            People = await AccountDetail.PeopleAsync(c, Id, Scope);
            Handoffs = await AccountDetail.HandoffsAsync(c, Id, Scope);
            Activity = await AccountDetail.ActivityAsync(c, Id, Scope);
            Countries = await AccountDetail.CountriesAsync(c, Id, Scope);
            return true;
        }, ct);
        return found ? Page() : NotFoundPage();
    }

    /// <summary>How the next service-level deadline reads, as in the inbox: "accept or reject overdue by 2 h".</summary>
    public string? Deadline(AccountDetail.PersonLine p) =>
        p.NextDueAt is { } due ? InboxModel.Deadline(p.NextDueKind, DateTimeOffset.FromUnixTimeMilliseconds(due) - Now) : null;
}
