using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Tandem.Server.Accounts;
using Tandem.Server.Hosting;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Accounts;

namespace Tandem.Server.Web.Pages.Accounts;

/// <summary>
/// The accounts list: search by name or domain, filters, sort and pages, each account with its people's engagement
/// summed and the buying-group signal. Sales see the accounts of the leads they may see, and the sums over those leads.
/// </summary>
internal sealed class IndexModel(Database db, ScoringModels models) : TandemPageModel
{
    /// <summary>The filters the form has a field for; the rest of <see cref="AccountQuery.Filters"/> ride along from a link.</summary>
    public static readonly IReadOnlyList<string> FormFields = ["q", "industry", "country", "owner", "openHandoffs", "band", "buyingGroup"];

    public IReadOnlyDictionary<string, string> Filters { get; private set; } = new Dictionary<string, string>();
    public string? Sort { get; private set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public IReadOnlyDictionary<string, string> FilterProblems { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<AccountRow> Rows { get; private set; } = [];
    public long Total { get; private set; }
    public AccountEngagement Engagement { get; private set; } = AccountEngagement.Of(null);
    public IReadOnlyList<string> Industries { get; private set; } = [];
    public IReadOnlyList<string> Countries { get; private set; } = [];
    public IReadOnlyList<UserRow> Owners { get; private set; } = [];

    public int PageCount => (int)Math.Max(1, (Total + AccountList.PageSize - 1) / AccountList.PageSize);
    public string? this[string filter] => Filters.GetValueOrDefault(filter);
    public IEnumerable<KeyValuePair<string, string>> OtherFilters => Filters.Where(f => !FormFields.Contains(f.Key));

    public async Task OnGetAsync(CancellationToken ct)
    {
        Filters = AccountQuery.Filters.Select(f => (f.Name, Value: Request.Query[f.Name].ToString().Trim()))
            .Where(f => f.Value.Length > 0).ToDictionary(f => f.Name, f => f.Value);
        Sort = Request.Query["sort"].ToString().Trim() is { Length: > 0 } s ? s : null;
        PageNumber = Math.Max(1, PageNumber);
        Engagement = AccountEngagement.Of((await models.ActiveAsync(ct))?.Model);
        var problems = new Validation();
        var query = AccountQuery.Parse(name => this[name], problems, Engagement, Me.Id);
        if (Sort is not null && !AccountList.Sorts.ContainsKey(Sort)) problems.Add("sort", $"Cannot sort by '{Sort}'.");
        FilterProblems = problems.Errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value));
        var orderBy = AccountList.Sorts.GetValueOrDefault(Sort ?? AccountList.DefaultSort) ?? AccountList.Sorts[AccountList.DefaultSort];
        // A filter that cannot be used lists nothing, so a bad link never shows more than was asked for.
        var usable = FilterProblems.Keys.All(k => k == "sort");
        await db.ReadAsync(async c =>
        {
            if (usable)
                (Rows, Total) = await AccountList.PageAsync(c, query, AccountDetail.Viewer(Scope), Engagement, orderBy,
                    (PageNumber - 1) * AccountList.PageSize, AccountList.PageSize);
            (Industries, Countries) = await AccountList.ChoicesAsync(c);
            // As on the people list: everyone in sales for marketing and admins, a manager's teams, nobody else for a rep.
            Owners = Scope.SeesEveryone
                ? (await c.QueryAsync<UserRow>("SELECT * FROM users WHERE role IN ('sales_rep', 'sales_manager') ORDER BY name")).ToList()
                : Me.Role == Roles.SalesManager ? await Scope.AssignableOwnersAsync(c, null) : [];
            return 0;
        }, ct);
    }

    /// <summary>
    /// A column header's link and aria-sort: an inactive column sorts in its natural direction (<paramref name="firstKey"/>),
    /// the active one reverses.
    /// </summary>
    public (string Url, string? AriaSort) SortLink(string firstKey)
    {
        var current = Sort ?? AccountList.DefaultSort;
        var column = firstKey.TrimStart('-');
        if (current.TrimStart('-') != column) return (ListUrl(sort: firstKey), null);
        var descending = current.StartsWith('-');
        return (ListUrl(sort: descending ? column : "-" + column), descending ? "descending" : "ascending");
    }

    /// <summary>This list's address with another page or order; the filters stay, in a fixed order so a list has one address.</summary>
    public string ListUrl(int? page = null, string? sort = null)
    {
        var pairs = AccountQuery.Filters.Where(f => Filters.ContainsKey(f.Name))
            .Select(f => new KeyValuePair<string, string?>(f.Name, Filters[f.Name])).ToList();
        var order = sort ?? Sort;
        if (order is not null && order != AccountList.DefaultSort) pairs.Add(new("sort", order));
        if (page is > 1) pairs.Add(new("p", page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString("/accounts", pairs);
    }
}
