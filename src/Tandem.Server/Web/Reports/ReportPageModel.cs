using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Export;
using Tandem.Server.Hosting;
using Tandem.Server.Reports;

namespace Tandem.Server.Web.Reports;

/// <summary>
/// What every report page shares: the period, mode and breakdown read from the address (the same parser as the API,
/// so a report is a link), the viewer's scope (a rep their own numbers, a manager their teams'), and CSV downloads.
/// </summary>
internal abstract class ReportPageModel(TimeProvider clock) : TandemPageModel
{
    public ReportRequest Report { get; private set; } = null!;
    public IReadOnlyDictionary<string, string[]> Problems { get; private set; } = new Dictionary<string, string[]>();
    public DateTimeOffset Now { get; private set; }

    /// <summary>Whose numbers the page shows, in words.</summary>
    public string Whose => Scope.SeesEveryone ? "Everyone in the workspace." : Me.Role == Users.Roles.SalesManager ? "Your teams' leads." : "Your leads.";

    /// <summary>Reads the address; false when a value cannot be used (the page then shows the reasons and the default period).</summary>
    protected bool ReadReport()
    {
        Now = clock.GetUtcNow();
        var v = new Validation();
        Report = ReportRequest.Parse(name => Request.Query[name], Now, v);
        Problems = v.Errors;
        if (!v.IsValid) Report = ReportRequest.Parse(_ => null, Now, new Validation());
        return v.IsValid;
    }

    /// <summary>This page's address with one value changed (or removed, for null), e.g. for a CSV link.</summary>
    public string With(string name, string? value)
    {
        var pairs = Request.Query.Where(q => q.Key != name && q.Key != "handler").Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString())).ToList();
        if (value is not null) pairs.Add(new(name, value));
        return Request.Path + Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("", pairs);
    }

    /// <summary>The link that downloads one of the page's tables, for the same period and breakdown.</summary>
    public string CsvLink(string table) => With("table", table) + "&handler=csv";

    /// <summary>A table as a CSV download named after the page's period.</summary>
    protected FileContentResult Csv(string name, IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows) =>
        CsvTable.File($"{name}-{ReportPeople.Instant(Report.From)}-{ReportPeople.Instant(Report.To)}.csv", header, rows);

    public string Percent(double? rate) => rate is { } r ? r.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "–";

    public string DaysText(double? days) => days is { } d ? d.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " d" : "–";
}
