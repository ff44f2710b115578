using Microsoft.AspNetCore.WebUtilities;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.People;

/// <summary>
/// The people list's address: its filters as typed (so a filtered list is a link, a saved view and an export at
/// once, and a value that cannot be used is shown back with the reason) and its order. What the filters mean
/// is <see cref="PeopleQuery"/>'s, the same as for the API.
/// </summary>
internal sealed record PeopleListAddress(IReadOnlyDictionary<string, string> Filters, string? Sort = null)
{
    public static readonly PeopleListAddress Everyone = new(new Dictionary<string, string>());

    /// <summary>The filters the list's form has a field for; any other filter in the address rides along unseen in the form.</summary>
    public static readonly IReadOnlyList<string> FormFields = ["q", "stage", "grade", "owner", "source", "persona"];

    /// <summary>The orders the list offers; "-" first means descending. Every order ends on the id, so paging is stable.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sorts = new Dictionary<string, string>
    {
        ["-created"] = "p.created_at DESC, p.id DESC",
        ["created"] = "p.created_at, p.id",
        ["name"] = "LOWER(COALESCE(p.last_name, '')), LOWER(COALESCE(p.first_name, '')), p.id",
        ["-name"] = "LOWER(COALESCE(p.last_name, '')) DESC, LOWER(COALESCE(p.first_name, '')) DESC, p.id DESC",
        ["-engagement"] = "COALESCE(p.engagement_score, -1) DESC, p.id DESC",
        ["engagement"] = "COALESCE(p.engagement_score, -1), p.id",
        ["-stage_changed"] = "p.stage_changed_at DESC, p.id DESC",
        ["stage_changed"] = "p.stage_changed_at, p.id",
    };

    public const string DefaultSort = "-created";

    public string? this[string filter] => Filters.GetValueOrDefault(filter);

    public string? Q => this["q"];
    public string? Stage => this["stage"];
    public string? Grade => this["grade"];
    public string? Owner => this["owner"];
    public string? Source => this["source"];
    public string? Persona => this["persona"];

    /// <summary>The ORDER BY for this address's sort (the default for an unknown one).</summary>
    public string OrderBy => Sorts.TryGetValue(Sort ?? DefaultSort, out var order) ? order : Sorts[DefaultSort];

    /// <summary>The same filters in another order, e.g. for a column header link.</summary>
    public PeopleListAddress SortedBy(string key) => this with { Sort = key == DefaultSort ? null : key };

    /// <summary>Reads every filter <see cref="PeopleQuery"/> knows, and the sort; blank values are absent.</summary>
    public static PeopleListAddress From(IQueryCollection query) => new(
        PeopleQuery.Filters.Select(f => (f.Name, Value: Clean(query[f.Name])))
            .Where(f => f.Value is not null).ToDictionary(f => f.Name, f => f.Value!),
        Clean(query["sort"]));

    /// <summary>True when no filter narrows the list (the order alone does not count).</summary>
    public bool IsEmpty => Filters.Count == 0;

    /// <summary>The filters the form has no field for, as the address carries them.</summary>
    public IEnumerable<KeyValuePair<string, string>> OtherFilters => Filters.Where(f => !FormFields.Contains(f.Key));

    /// <summary>
    /// The filters and sort as a query string (without "?"), in <see cref="PeopleQuery.Filters"/>' order with the sort
    /// last, so the same list always has the same address (a saved view compares equal to the list it shows).
    /// </summary>
    public string ToQueryString()
    {
        var pairs = PeopleQuery.Filters.Where(f => Filters.ContainsKey(f.Name)).Select(f => new KeyValuePair<string, string?>(f.Name, Filters[f.Name])).ToList();
        if (Sort is not null) pairs.Add(new("sort", Sort));
        return QueryHelpers.AddQueryString("", pairs).TrimStart('?');
    }

    /// <summary>
    /// The filters for this viewer ("owner=me" is them), or null when one cannot be used — then the list shows nothing,
    /// so a bad link never shows more than was asked for. The reasons go to <paramref name="v"/> in the API's words.
    /// </summary>
    public PeopleQuery? Query(LeadScope scope, Validation v)
    {
        var filters = new Validation();
        var query = PeopleQuery.Parse(name => this[name], filters, scope.UserId);
        foreach (var (field, reasons) in filters.Errors)
            foreach (var reason in reasons) v.Add(field, reason);
        return filters.IsValid ? query : null;
    }

    /// <summary>A sort the list does not offer is named; the list then keeps its default order.</summary>
    public void CheckSort(Validation v)
    {
        if (Sort is not null && !Sorts.ContainsKey(Sort)) v.Add("sort", $"Cannot sort by '{Sort}'.");
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
