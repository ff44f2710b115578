using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Tandem.Domain.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Reports;

/// <summary>
/// What reports share about people: whose numbers a viewer sees (the people lists' <see cref="LeadScope"/>), the
/// names behind team and rep ids, and the people-list filters that make up each count, so a count links to its people.
/// </summary>
internal static class ReportPeople
{
    /// <summary>The condition over people aliased "p" for a signed-in viewer; an API key (null) sees the whole workspace, as the people API does.</summary>
    public static string Scope(LeadScope? scope, DynamicParameters args)
    {
        if (scope is null) return "1 = 1";
        scope.AddTo(args);
        return scope.Condition;
    }

    /// <summary>Team and rep ids (as text) to names, for a breakdown's labels.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> NamesAsync(DbConnection c, Dimension? by) => by switch
    {
        Dimension.Team => (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM teams")).ToDictionary(t => t.Id.ToString(), t => t.Name),
        Dimension.Rep => (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM users")).ToDictionary(u => u.Id.ToString(), u => u.Name),
        _ => new Dictionary<string, string>(),
    };

    /// <summary>
    /// The people-list filters (a query string without "?") for the people a funnel count holds: who reached
    /// <paramref name="stage"/> in [from, to) for a period funnel, the cohort's people who reached it for a cohort.
    /// </summary>
    public static string ReachedFilter(FunnelMode mode, Stage stage, DateTimeOffset from, DateTimeOffset to, (string Name, string Value)? group = null)
    {
        var filters = new Dictionary<string, string>();
        switch (mode)
        {
            case FunnelMode.Period:
                filters["reached"] = stage.ToString();
                filters["reachedAfter"] = Instant(from);
                filters["reachedBefore"] = Instant(to);
                break;
            case FunnelMode.Cohort:
                filters["createdAfter"] = Instant(from);
                filters["createdBefore"] = Instant(to);
                filters["reached"] = stage.ToString();
                break;
            default:
                filters["reached"] = stage == Stage.MQL ? "MQL" : $"MQL,{stage}";
                filters["reachedAfter"] = Instant(from);
                filters["reachedBefore"] = Instant(to);
                break;
        }
        return Query(filters, group);
    }

    /// <summary>Filters in the order the people list writes them, so the same people always have the same address.</summary>
    public static string Query(Dictionary<string, string> filters, (string Name, string Value)? group = null)
    {
        if (group is { } g) filters[g.Name] = g.Value;
        var pairs = PeopleQuery.Filters.Where(f => filters.ContainsKey(f.Name))
            .Select(f => new KeyValuePair<string, string?>(f.Name, filters[f.Name]));
        return QueryHelpers.AddQueryString("", pairs).TrimStart('?');
    }

    /// <summary>A date alone at midnight UTC, else the full instant: the way the people filters read them.</summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.TimeOfDay == TimeSpan.Zero
        ? at.UtcDateTime.ToString("yyyy-MM-dd")
        : at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
}
