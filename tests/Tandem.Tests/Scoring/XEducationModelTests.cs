using Dapper;
using Tandem.Tests.Import;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Scoring;

/// <summary>The shipped X Education model, on the real export: its MQLs must be the leads that convert.</summary>
public class XEducationModelTests
{
    [Fact]
    public async Task The_x_education_model_puts_converting_leads_above_the_MQL_line()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await XEducationWorkspace.StartAsync(new ManualClock());

        // Converted leads were imported as Customers; the model never reads the stage.
        var shares = (await server.Database.ReadAsync(c => c.QueryAsync<(long MeetsMql, long People, double Converted)>(
            "SELECT meets_mql, COUNT(*), AVG(CASE WHEN stage = 'Customer' THEN 1.0 ELSE 0.0 END) FROM people GROUP BY meets_mql"), ct))
            .ToDictionary(r => r.MeetsMql);
        Assert.Equal(9240, shares.Values.Sum(s => s.People));
        var mql = shares[1].Converted;
        var rest = shares[0].Converted;
        Assert.True(mql >= 0.6 && mql >= 2.5 * rest, $"MQLs convert at {mql:P1}, the rest at {rest:P1}");
    }
}
