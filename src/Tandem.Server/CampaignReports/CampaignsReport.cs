using System.Data.Common;
using Tandem.Domain.Reporting;
using Tandem.Server.Campaigns;
using Tandem.Server.Web.Access;

namespace Tandem.Server.CampaignReports;

/// <summary>Every campaign, with what it is (status, channel, budget, members) beside what it did in the period under one model.</summary>
internal static class CampaignsReport
{
    public sealed record RowDto(CampaignDto Campaign, AttributionReport.RowDto Figures);

    public sealed record ReportDto(string Model, DateOnly From, DateOnly To, bool CostsShown, IReadOnlyList<RowDto> Campaigns, AttributionReport.RowDto Total);

    public static async Task<ReportDto> ReadAsync(DbConnection c, ReportPeriod period, CreditModel model, LeadScope? scope)
    {
        var report = await AttributionReport.ReadAsync(c, period, model, "campaign", scope);
        var figures = report.Rows.Where(r => r.CampaignId is not null).ToDictionary(r => r.CampaignId!.Value);
        var rows = (await CampaignRow.ListAsync(c, null)).Select(k => new RowDto(k.ToDto(), figures.GetValueOrDefault(k.Id)
            ?? new AttributionReport.RowDto(k.Id.ToString(), k.Id, k.Name, k.Channel, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, null, null)))
            .ToList();
        return new ReportDto(report.Model, report.From, report.To, report.CostsShown, rows, report.Total);
    }
}
