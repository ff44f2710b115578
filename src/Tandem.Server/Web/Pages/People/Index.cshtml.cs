using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.People;

using Tandem.Server.Lifecycle;

namespace Tandem.Server.Web.Pages.People;

/// <summary>The people list: search and filters, saved views, bulk stage changes and assignment, CSV export.</summary>
internal sealed class IndexModel(Database db, SavedViewStore views, LifecycleSettings lifecycle) : TandemPageModel
{
    public PeopleListAddress Filter { get; private set; } = PeopleListAddress.Everyone;

    /// <summary>
    /// A column header's link and aria-sort: an inactive column sorts in its natural direction (<paramref name="firstKey"/>),
    /// the active one reverses.
    /// </summary>
    public (string Url, string? AriaSort) SortLink(string firstKey)
    {
        var current = Filter.Sort ?? PeopleListAddress.DefaultSort;
        var column = firstKey.TrimStart('-');
        if (current.TrimStart('-') != column) return (ListUrl(Filter.SortedBy(firstKey)), null);
        var descending = current.StartsWith('-');
        return (ListUrl(Filter.SortedBy(descending ? column : "-" + column)), descending ? "descending" : "ascending");
    }

    public IReadOnlyDictionary<string, string> FilterProblems { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<PeopleListRow> Rows { get; private set; } = [];
    public long Total { get; private set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<string> Sources { get; private set; } = [];
    public IReadOnlyList<string> Personas { get; private set; } = [];
    public IReadOnlyList<UserRow> Owners { get; private set; } = [];
    public IReadOnlyList<UserRow> AssignableOwners { get; private set; } = [];
    public IReadOnlyList<SavedView> Views { get; private set; } = [];
    public LifecycleSettings Lifecycle => lifecycle;

    public int PageCount => (int)Math.Max(1, (Total + PeopleList.PageSize - 1) / PeopleList.PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Filter = PeopleListAddress.From(Request.Query);
        var problems = new Validation();
        var query = Filter.Query(Scope, problems);
        Filter.CheckSort(problems);
        FilterProblems = problems.Errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value));
        PageNumber = Math.Max(1, PageNumber);
        await db.ReadAsync(async c =>
        {
            if (query is not null) (Rows, Total) = await PeopleList.PageAsync(c, query, Scope, Filter.OrderBy, PageNumber);
            (Sources, Personas) = await PeopleList.ChoicesAsync(c);
            AssignableOwners = await Scope.AssignableOwnersAsync(c, null);
            // The owner filter offers the people whose leads this user can see: everyone's for marketing and admins, a manager's teams.
            Owners = Scope.SeesEveryone
                ? (await c.QueryAsync<UserRow>("SELECT * FROM users WHERE role IN ('sales_rep', 'sales_manager') ORDER BY name")).ToList()
                : Me.Role == Roles.SalesManager ? AssignableOwners : [];
            return 0;
        }, ct);
        Views = await views.VisibleToAsync(Me.Id, ct);
    }

    public async Task<IActionResult> OnPostSaveViewAsync(string? viewName, bool shared, CancellationToken ct)
    {
        var filter = PeopleListAddress.From(Request.Query);
        if (string.IsNullOrWhiteSpace(viewName) || viewName.Trim().Length > SavedViewStore.MaxNameLength)
            Tell($"Give the view a name of 1 to {SavedViewStore.MaxNameLength} characters.", error: true);
        else
        {
            await views.SaveAsync(Me.Id, viewName.Trim(), filter, shared, ct);
            Tell($"Saved the view “{viewName.Trim()}”.");
        }
        return Redirect(ListUrl(filter));
    }

    public async Task<IActionResult> OnPostDeleteViewAsync(long viewId, CancellationToken ct)
    {
        Tell(await views.DeleteAsync(Me.Id, viewId, ct) ? "Deleted the view." : "Only the person who saved a view can delete it.", error: false);
        return Redirect("/people");
    }

    public async Task<IActionResult> OnPostStageAsync([FromForm] long[] ids, [FromForm] string? stage, [FromForm] string? reasonCode,
        [FromForm] string? note, [FromServices] ChangeStages change, CancellationToken ct)
    {
        var outcome = await change.RunAsync(Scope, ids, new ChangeStages.Input(stage, reasonCode, note), Actor, ct);
        if (outcome.Refused.Count == 0) Tell($"Moved {outcome.Moved} {(outcome.Moved == 1 ? "lead" : "leads")} to {stage}.");
        else Tell("Nothing was changed. " + string.Join(" ", outcome.Refused.Take(5).Select(r =>
            r.PersonId == 0 ? r.Reason : $"{r.Name}: {r.Reason}")) + (outcome.Refused.Count > 5 ? $" (and {outcome.Refused.Count - 5} more)" : ""), error: true);
        return Redirect(ListUrl(PeopleListAddress.From(Request.Query)));
    }

    public async Task<IActionResult> OnPostAssignAsync([FromForm] long[] ids, [FromForm] long ownerId, [FromServices] AssignOwner assign, CancellationToken ct)
    {
        if (!Scope.CanAssign) return StatusCode(403);
        var (assigned, error) = await assign.RunAsync(Scope, ids, ownerId, Actor, ct);
        if (error is null) Tell($"Assigned {assigned} {(assigned == 1 ? "lead" : "leads")}.");
        else Tell(error, error: true);
        return Redirect(ListUrl(PeopleListAddress.From(Request.Query)));
    }

    public string ListUrl(PeopleListAddress filter, int? page = null)
    {
        var query = filter.ToQueryString();
        if (page is > 1) query += (query.Length > 0 ? "&" : "") + "p=" + page;
        return "/people" + (query.Length > 0 ? "?" + query : "");
    }
}
