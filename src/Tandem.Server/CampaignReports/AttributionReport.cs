using System.Data.Common;
using Dapper;
using Tandem.Domain.Reporting;
using Tandem.Server.Web.Access;

namespace Tandem.Server.CampaignReports;

/// <summary>
/// Credited outcomes, pipeline and revenue per campaign or channel under one model, with the period's actual costs and
/// what each outcome cost. Costs are the whole workspace's spend, so cost figures are shown only to those who see every
/// lead (marketing, admins, API keys): a rep's own slice of the credit divided by all of the spend would mean nothing.
/// </summary>
internal static class AttributionReport
{
    /// <param name="Key">The campaign id, or the channel name.</param>
    /// <param name="Roi">(Revenue − cost) / cost: 1.5 means every unit spent returned 2.5.</param>
    public sealed record RowDto(string Key, long? CampaignId, string Name, string Channel, double Leads, double Mqls, double Sqls, double Opportunities,
        double Customers, decimal Pipeline, decimal Revenue, decimal? Cost, decimal? CostPerLead, decimal? CostPerMql, decimal? CostPerSql,
        decimal? CostPerCustomer, double? Roi);

    /// <param name="Outcomes">How many outcomes of each kind the period holds: each row's credited counts add up to these.</param>
    public sealed record ReportDto(string Model, string By, DateOnly From, DateOnly To, IReadOnlyList<string> CostMonths, bool CostsShown,
        IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<RowDto> Rows, RowDto Total);

    public static readonly IReadOnlyList<string> Groupings = ["campaign", "channel"];

    private sealed record CampaignInfo(long Id, string Name, string Channel);

    public static async Task<ReportDto> ReadAsync(DbConnection c, ReportPeriod period, CreditModel model, string by, LeadScope? scope)
    {
        var credits = await Credits.ReadAsync(c, period, model, scope);
        var campaigns = (await c.QueryAsync<CampaignInfo>("SELECT id, name, channel FROM campaigns")).ToDictionary(k => k.Id);
        var months = period.CostMonths();
        var costShown = scope is null || scope.SeesEveryone;
        var costs = (await c.QueryAsync<(long CampaignId, long Cents)>(
            $"SELECT campaign_id, SUM(amount_cents) FROM campaign_costs WHERE {Storage.Sql.In(c, "month", "@months")} GROUP BY campaign_id",
            new { months = months.ToArray() })).ToDictionary(r => r.CampaignId, r => r.Cents / 100m);

        List<RowDto> rows;
        if (by == "channel")
        {
            var channelCosts = costs.Where(k => campaigns.ContainsKey(k.Key)).GroupBy(k => campaigns[k.Key].Channel).ToDictionary(g => g.Key, g => g.Sum(k => k.Value));
            var keys = credits.Select(x => x.Channel).Concat(channelCosts.Keys).Distinct();
            rows = keys.Select(ch => Row(ch, null, ch, ch, credits.Where(x => x.Channel == ch), costShown && channelCosts.TryGetValue(ch, out var cc) ? cc : null)).ToList();
        }
        else
        {
            var keys = credits.Select(x => x.CampaignId).Concat(costs.Keys.Select(k => (long?)k)).Distinct();
            rows = keys.Select(id => id is { } k && campaigns.TryGetValue(k, out var info)
                    ? Row(k.ToString(), k, info.Name, info.Channel, credits.Where(x => x.CampaignId == k), costShown && costs.TryGetValue(k, out var kc) ? kc : null)
                    : Row("none", null, "(no campaign)", "", credits.Where(x => x.CampaignId is null), null))
                .ToList();
        }
        rows = rows.OrderByDescending(r => r.Customers).ThenByDescending(r => r.Leads).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var total = Row("all", null, "All", "", credits, costShown ? costs.Values.Sum() : null);
        var outcomes = Enum.GetValues<OutcomeKind>().ToDictionary(k => Name(k), k => credits.Where(x => x.Kind == k).Select(x => x.PersonId).Distinct().Count());
        return new ReportDto(model.Slug(), by, period.From, period.To, months, costShown, outcomes, rows, total);
    }

    public static string Name(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Lead => "leads",
        OutcomeKind.Mql => "mqls",
        OutcomeKind.Sql => "sqls",
        OutcomeKind.Opportunity => "opportunities",
        _ => "customers",
    };

    private static RowDto Row(string key, long? campaignId, string name, string channel, IEnumerable<Credit> credits, decimal? cost)
    {
        var list = credits as IReadOnlyCollection<Credit> ?? credits.ToList();
        double Count(OutcomeKind kind) => Math.Round(list.Where(x => x.Kind == kind).Sum(x => x.Share), 4);
        decimal Amount(OutcomeKind kind) => Math.Round(list.Where(x => x.Kind == kind).Sum(x => x.Amount * (decimal)x.Share), 2);
        var (leads, mqls, sqls, opportunities, customers) =
            (Count(OutcomeKind.Lead), Count(OutcomeKind.Mql), Count(OutcomeKind.Sql), Count(OutcomeKind.Opportunity), Count(OutcomeKind.Customer));
        var revenue = Amount(OutcomeKind.Customer);
        decimal? Per(double count) => cost is { } k && count > 0 ? Math.Round(k / (decimal)count, 2) : null;
        return new RowDto(key, campaignId, name, channel, leads, mqls, sqls, opportunities, customers, Amount(OutcomeKind.Opportunity), revenue, cost,
            Per(leads), Per(mqls), Per(sqls), Per(customers), cost is { } c && c > 0 ? Math.Round((double)((revenue - c) / c), 4) : null);
    }
}
