using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Reporting;
using Tandem.Server.CampaignReports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Content;

/// <summary>
/// What marketing makes, what sales uses and what moves deals, per asset of the registry, over a period:
/// views and downloads by the audience (tracked page views matching the asset's URL pattern, downloads naming it);
/// sales use (a rep's <c>content_shared</c>, or a click in a one-to-one email — one sent outside any program — on the
/// asset's link); and influence: people who touched the asset and then reached SQL or Customer in the period, with the
/// revenue of those customers. A signed-in rep or manager sees only their leads' use and influence (and no anonymous views).
/// </summary>
internal static class ContentReport
{
    public sealed record RowDto(long AssetId, string Title, string Type, string OwnerTeam, int Views, int Downloads, int Viewers, int SalesShares,
        int SharedBy, int InfluencedSqls, int InfluencedCustomers, decimal InfluencedRevenue);

    public sealed record ReportDto(DateOnly From, DateOnly To, IReadOnlyList<RowDto> Assets);

    private sealed record Use(long? PersonId, string? AnonymousId, string Type, long OccurredAt, string Properties);

    private enum UseKind { View, Download, SalesShare }

    private static readonly string[] UseTypes = ["page_view", "content_downloaded", "file_download", "download", ShareContent.ActivityType, "email_clicked"];

    public static async Task<ReportDto> ReadAsync(DbConnection c, ReportPeriod period, LeadScope? scope)
    {
        var assets = await AssetRow.ListAsync(c);
        var args = new DynamicParameters(new { from = period.FromMs, to = period.EndMs, types = UseTypes });
        scope?.AddTo(args);
        var everyone = scope is null || scope.SeesEveryone;
        var people = everyone ? "" : $" AND a.person_id IN (SELECT p.id FROM people p WHERE {scope!.Condition})";
        var uses = (await c.QueryAsync<Use>(
            "SELECT a.person_id, a.anonymous_id, a.type, a.occurred_at, a.properties FROM activities a " +
            $"WHERE a.occurred_at >= @from AND a.occurred_at < @to AND {Sql.In(c, "a.type", "@types")}{people}", args)).ToList();

        var stats = assets.ToDictionary(a => a.Id, _ => new Stats());
        foreach (var use in uses)
            foreach (var (asset, kind) in Matches(assets, use))
            {
                var s = stats[asset.Id];
                switch (kind)
                {
                    case UseKind.View: s.Views++; s.Viewers.Add(use.PersonId?.ToString() ?? "a:" + use.AnonymousId); break;
                    case UseKind.Download: s.Downloads++; s.Viewers.Add(use.PersonId?.ToString() ?? "a:" + use.AnonymousId); break;
                    default: s.Shares++; if (By(use.Properties) is { } by) s.SharedBy.Add(by); break;
                }
            }

        await InfluenceAsync(c, period, scope, assets, stats);
        var rows = assets.Select(a =>
            {
                var s = stats[a.Id];
                return new RowDto(a.Id, a.Title, a.Type, a.OwnerTeam, s.Views, s.Downloads, s.Viewers.Count, s.Shares, s.SharedBy.Count, s.Sqls.Count,
                    s.Customers.Count, s.Revenue);
            })
            .OrderByDescending(r => r.InfluencedCustomers).ThenByDescending(r => r.InfluencedSqls).ThenByDescending(r => r.Views + r.Downloads + r.SalesShares)
            .ThenBy(r => r.Title, StringComparer.Ordinal).ToList();
        return new ReportDto(period.From, period.To, rows);
    }

    private sealed class Stats
    {
        public int Views, Downloads, Shares;
        public decimal Revenue;
        public readonly HashSet<string> Viewers = [], SharedBy = [];
        public readonly HashSet<long> Sqls = [], Customers = [];
    }

    private sealed record Reach(long PersonId, string ToStage, long ChangedAt);

    private sealed record Won(long PersonId, long AmountCents, long DecidedAt, long Id);

    /// <summary>People who reached SQL or Customer in the period, and the assets they touched (at any earlier time) before they did.</summary>
    private static async Task InfluenceAsync(DbConnection c, ReportPeriod period, LeadScope? scope, IReadOnlyList<AssetRow> assets, Dictionary<long, Stats> stats)
    {
        var args = new DynamicParameters(new { from = period.FromMs, to = period.EndMs, stages = new[] { "SQL", "Opportunity", "Customer" } });
        scope?.AddTo(args);
        var reached = (await c.QueryAsync<Reach>(
            "SELECT s.person_id, s.to_stage, s.changed_at FROM stage_changes s JOIN people p ON p.id = s.person_id " +
            $"WHERE {Sql.In(c, "s.to_stage", "@stages")} AND p.merged_into_id IS NULL" + (scope is null ? "" : $" AND {scope.Condition}") +
            " AND s.person_id IN (SELECT x.person_id FROM stage_changes x WHERE x.changed_at >= @from AND x.changed_at < @to)", args)).ToList();
        // First reach of SQL (or beyond) and of Customer, per person.
        var sqlAt = reached.GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g => g.Min(r => r.ChangedAt));
        var customerAt = reached.Where(r => r.ToStage == "Customer").GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g => g.Min(r => r.ChangedAt));
        var ids = sqlAt.Keys.ToArray();
        if (ids.Length == 0) return;
        foreach (var chunk in ids.Chunk(2000))
        {
            var (inPeople, value) = SqlDialect.Of(c).InIdList("person_id", "@ids", chunk);
            var uses = await c.QueryAsync<Use>(
                $"SELECT person_id, anonymous_id, type, occurred_at, properties FROM activities WHERE {inPeople} AND {Sql.In(c, "type", "@types")}",
                new { ids = value, types = UseTypes });
            var won = (await c.QueryAsync<Won>(
                $"SELECT person_id, amount_cents, decided_at, id FROM dispositions WHERE {inPeople} AND kind = 'won' AND amount_cents IS NOT NULL", new { ids = value }))
                .GroupBy(w => w.PersonId).ToDictionary(g => g.Key, g => g.OrderBy(w => w.DecidedAt).ThenBy(w => w.Id).First().AmountCents / 100m);
            foreach (var use in uses)
            {
                var pid = use.PersonId!.Value;
                foreach (var (asset, _) in Matches(assets, use))
                {
                    var s = stats[asset.Id];
                    if (sqlAt[pid] is var at && at >= period.FromMs && at < period.EndMs && use.OccurredAt < at) s.Sqls.Add(pid);
                    if (customerAt.TryGetValue(pid, out var cAt) && cAt >= period.FromMs && cAt < period.EndMs && use.OccurredAt < cAt && s.Customers.Add(pid))
                        s.Revenue += won.GetValueOrDefault(pid);
                }
            }
        }
    }

    private static IEnumerable<(AssetRow Asset, UseKind Kind)> Matches(IReadOnlyList<AssetRow> assets, Use use)
    {
        using var doc = JsonDocument.Parse(use.Properties);
        var p = doc.RootElement;
        string? Text(string name) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null } : null;
        var kind = use.Type switch
        {
            "page_view" => UseKind.View,
            ShareContent.ActivityType => UseKind.SalesShare,
            // A click in a one-to-one email is a rep sharing a link; a program's email is marketing's audience viewing.
            "email_clicked" => Text("programId") is null ? UseKind.SalesShare : UseKind.View,
            _ => UseKind.Download,
        };
        var url = Text("url") ?? Text("path");
        var key = Text("asset") ?? Text("assetKey") ?? Text("title");
        var assetId = Text("assetId");
        var found = new List<(AssetRow, UseKind)>();
        foreach (var a in assets)
            if ((assetId is not null && a.Id.ToString() == assetId && use.Type == ShareContent.ActivityType)
                || (a.UrlPattern is { } pattern && AssetMatch.UrlMatches(pattern, url))
                || (a.AssetKey is { } k && (AssetMatch.KeyMatches(k, key) || AssetMatch.KeyMatches(k, assetId))))
                found.Add((a, kind));
        return found;
    }

    private static string? By(string properties)
    {
        using var doc = JsonDocument.Parse(properties);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("byId", out var by) ? by.ToString() : null;
    }
}
