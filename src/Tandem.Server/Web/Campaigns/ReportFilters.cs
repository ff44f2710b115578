using Tandem.Domain.Reporting;
using Tandem.Server.CampaignReports;

namespace Tandem.Server.Web.Campaigns;

/// <summary>The period, model and grouping a report page reads from its address, so every view can be linked and bookmarked.</summary>
internal sealed record ReportFilters(ReportPeriod Period, CreditModel Model, string By)
{
    public static ReportFilters From(HttpRequest request, DateTimeOffset now, string by = "campaign")
    {
        var q = request.Query;
        var (period, _) = ReportPeriod.Parse(q["from"], q["to"], now);
        var model = CreditModels.TryParse(q["model"], out var m) ? m : CreditModel.WShaped;
        var group = q["by"].ToString() is var b && AttributionReport.Groupings.Contains(b) ? b : by;
        return new ReportFilters(period ?? ReportPeriod.CurrentQuarter(now), model, group);
    }

    public string Query => $"{Period.Query}&model={Model.Slug()}&by={By}";

    public string With(string? model = null, string? by = null) => $"{Period.Query}&model={model ?? Model.Slug()}&by={by ?? By}";
}
