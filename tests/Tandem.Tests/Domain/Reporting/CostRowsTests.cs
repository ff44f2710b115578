using Tandem.Domain.Reporting;

namespace Tandem.Tests.Domain.Reporting;

public class CostRowsTests
{
    [Fact]
    public void Reads_months_and_amounts_in_the_usual_spellings()
    {
        var parsed = CostRows.Parse([["Campaign", "Month", "Cost"], ["gads", "2026-10", "1,250.50"], ["gads", "11/2026", "$900"], ["li", "2026-10-01", "0"]], true);

        Assert.Empty(parsed.Errors);
        Assert.Equal([new CostRow(2, "gads", "2026-10", 125050), new CostRow(3, "gads", "2026-11", 90000), new CostRow(4, "li", "2026-10", 0)], parsed.Rows);
    }

    [Fact]
    public void Every_bad_line_is_reported_with_its_line_number_and_column()
    {
        var parsed = CostRows.Parse([["month", "amount"], ["2026-10", "100"], ["October", "5"], ["2026-11", "-3"], ["2026-12", "1.234"], ["2026-10", "7"]], false);

        Assert.Equal([new CostRow(2, null, "2026-10", 10000)], parsed.Rows);
        Assert.Equal([(3, "month"), (4, "amount"), (5, "amount"), (6, "month")], parsed.Errors.Select(e => (e.Row, e.Column)));
        Assert.Contains("line 2", parsed.Errors[^1].Reason);
    }

    [Fact]
    public void A_file_without_the_needed_columns_is_refused_at_the_header()
    {
        var parsed = CostRows.Parse([["when", "amount"], ["2026-10", "1"]], true);
        Assert.Empty(parsed.Rows);
        Assert.Equal(["header", "header"], parsed.Errors.Select(e => e.Column));
        Assert.All(parsed.Errors, e => Assert.Equal(1, e.Row));
    }
}
