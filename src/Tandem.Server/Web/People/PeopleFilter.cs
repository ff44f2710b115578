using System.Text;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.People;

/// <summary>
/// The people list's filters, as they appear in its query string (so a filtered list is a link, a saved view
/// and an export at once). Unknown values are reported back to the page rather than silently ignored.
/// </summary>
public sealed record PeopleFilter(string? Q, string? Stage, string? Grade, string? Owner, string? Source, string? Persona, string? Sort = null)
{
    public static readonly string[] Grades = ["A", "B", "C", "D"];

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

    /// <summary>The ORDER BY for this filter's sort (the default for an unknown one).</summary>
    public string OrderBy => Sorts.TryGetValue(Sort ?? DefaultSort, out var order) ? order : Sorts[DefaultSort];

    /// <summary>The same filters in another order, e.g. for a column header link.</summary>
    public PeopleFilter SortedBy(string key) => this with { Sort = key == DefaultSort ? null : key };

    public static PeopleFilter From(IQueryCollection query) => new(
        Clean(query["q"]), Clean(query["stage"]), Clean(query["grade"]), Clean(query["owner"]), Clean(query["source"]), Clean(query["persona"]), Clean(query["sort"]));

    /// <summary>True when no filter narrows the list (the order alone does not count).</summary>
    public bool IsEmpty => Q is null && Stage is null && Grade is null && Owner is null && Source is null && Persona is null;

    /// <summary>The filters as a query string (without "?"), in a stable order.</summary>
    public string ToQueryString()
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value) { if (value is not null) pairs.Add(new(key, value)); }
        Add("q", Q); Add("stage", Stage); Add("grade", Grade); Add("owner", Owner); Add("source", Source); Add("persona", Persona); Add("sort", Sort);
        return QueryHelpers.AddQueryString("", pairs).TrimStart('?');
    }

    /// <summary>Field errors for values that are not stages, grades or owners.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var errors = new Dictionary<string, string>();
        if (Stage is not null && !Stages.TryParse(Stage, out _)) errors["stage"] = $"'{Stage}' is not a stage.";
        if (Grade is not null && !Grades.Contains(Grade)) errors["grade"] = $"'{Grade}' is not a grade; use A, B, C or D.";
        if (Owner is not null && Owner is not ("me" or "none") && !long.TryParse(Owner, out _)) errors["owner"] = $"'{Owner}' is not an owner.";
        if (Sort is not null && !Sorts.ContainsKey(Sort)) errors["sort"] = $"Cannot sort by '{Sort}'.";
        return errors;
    }

    /// <summary>
    /// The WHERE clause (people aliased "p", live people only, within the user's scope) and its parameters.
    /// Invalid filter values match nothing, so a bad link never shows more than was asked for.
    /// </summary>
    public (string Where, DynamicParameters Args) ToSql(LeadScope scope)
    {
        var sql = new StringBuilder("p.merged_into_id IS NULL AND ").Append(scope.Condition);
        var args = new DynamicParameters();
        scope.AddTo(args);
        if (Q is not null)
        {
            sql.Append(" AND (LOWER(p.email) LIKE @q OR LOWER(p.first_name) LIKE @q OR LOWER(p.last_name) LIKE @q OR LOWER(p.company) LIKE @q" +
                       " OR LOWER(COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, '')) LIKE @q)");
            args.Add("q", "%" + Q.ToLowerInvariant().Replace("%", "").Replace("_", "") + "%");
        }
        if (Stage is not null) { sql.Append(" AND p.stage = @stage"); args.Add("stage", Stages.TryParse(Stage, out var s) ? s.ToString() : "\0"); }
        if (Grade is not null) { sql.Append(" AND p.fit_grade = @grade"); args.Add("grade", Grade); }
        if (Owner is "none") sql.Append(" AND p.owner_id IS NULL");
        else if (Owner is "me") { sql.Append(" AND p.owner_id = @scopeUserId"); }
        else if (Owner is not null) { sql.Append(" AND p.owner_id = @ownerId"); args.Add("ownerId", long.TryParse(Owner, out var o) ? o : -1); }
        if (Source is not null) { sql.Append(" AND p.first_touch_channel = @source"); args.Add("source", Source); }
        if (Persona is not null)
        {
            // Personas are a JSON array of names; matching the quoted name avoids "Data" matching "Data Lead".
            sql.Append(" AND p.personas LIKE @persona");
            args.Add("persona", "%" + System.Text.Json.JsonSerializer.Serialize(Persona) + "%");
        }
        return (sql.ToString(), args);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
