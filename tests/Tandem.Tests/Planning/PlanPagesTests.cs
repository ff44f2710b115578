using System.Net;
using System.Text.RegularExpressions;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Planning;

/// <summary>The /plan pages on both databases: marketing sets a quarter's target and reads what it takes per channel; a rep only reads.</summary>
public abstract partial class PlanPagesTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// 1,000,000 with 60 % from marketing at 20,000 a deal = 30 deals; 40 % from paid search: 12 deals ← 48 ← 96 ← 160 SALs ← 200 MQLs ←
    /// 2,000 leads ← 100,000 visits; 60 % organic: 18 ← 72 ← 144 ← 240 ← 300 MQLs ← 3,000 ← 150,000.
    /// </summary>
    private static Dictionary<string, string> QuarterForm(string share = "60")
    {
        var form = new Dictionary<string, string>
        {
            ["Form.Name"] = "Q4 push", ["Form.Period"] = "quarter", ["Form.Start"] = "2026-10-01", ["Form.RevenueTarget"] = "1,000,000",
            ["Form.MarketingSharePercent"] = share, ["Form.AverageDealSize"] = "20000", ["Form.MeasureDays"] = "180",
            ["Form.Channels[0].Channel"] = "Paid Search", ["Form.Channels[0].SharePercent"] = "40",
            ["Form.Channels[1].Channel"] = "Organic Search", ["Form.Channels[1].SharePercent"] = "60",
            ["Form.Scenarios[0].Name"] = "Better hand-off", ["Form.Scenarios[0].Rate"] = "mqlToSal", ["Form.Scenarios[0].ChangePercent"] = "25",
            ["Form.HoursPerRepPerWeek"] = "30", ["Form.MinutesPerAttempt"] = "10", ["Form.Active"] = "true",
        };
        foreach (var (rate, pct) in new[] { ("visitToLead", "2"), ("leadToMql", "10"), ("mqlToSal", "80"), ("salToSql", "60"), ("sqlToOpportunity", "50"), ("opportunityToDeal", "25") })
        {
            form[$"Form.Rates[{rate}].Source"] = "hand";
            form[$"Form.Rates[{rate}].Percent"] = pct;
        }
        return form;
    }

    private static string[] Row(string html, string table, string step)
    {
        var t = html[html.IndexOf($"data-testid=\"{table}\"", StringComparison.Ordinal)..];
        var row = t[t.IndexOf($"data-step=\"{step}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        return Cell().Matches(row).Select(m => m.Groups[1].Value).ToArray();
    }

    [Fact]
    public async Task Marketing_sets_a_quarterly_target_and_reads_the_MQLs_and_visits_per_channel_while_a_rep_may_only_read()
    {
        await using var server = await TandemServer.StartAsync(provider, new ManualClock(Now),
            new Dictionary<string, string?> { ["Tandem:Planning:PacingCheckEnabled"] = "false" });
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, WebWorld.Emails.Marketing);

        var refused = await maya.SubmitAsync("/plan/edit/new", QuarterForm(share: "150"));
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Contains("Must be more than 0 and at most 1", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var saved = await maya.SubmitAsync("/plan/edit/new", QuarterForm());
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var html = await maya.GetPageAsync(saved.Headers.Location!.OriginalString);
        Assert.Equal(["200", "300", "500"], Row(html, "plan-table", "MQL"));
        Assert.Equal(["100,000", "150,000", "250,000"], Row(html, "plan-table", "Visit"));
        Assert.Equal(["12", "18", "30"], Row(html, "plan-table", "Deal"));
        // +25 % MQL→SAL: paid and organic both at 100 %: 160 + 240 = 400 MQLs instead of 500.
        Assert.Equal(["500", "400"], Row(html, "plan-scenarios", "MQL"));

        // The current plan is the one /plan opens; a rep reads it but cannot change it.
        using var riley = await WebSession.SignInAsync(server, WebWorld.Emails.Riley);
        var asRep = await riley.GetPageAsync("/plan");
        Assert.Equal(["200", "300", "500"], Row(asRep, "plan-table", "MQL"));
        Assert.DoesNotContain("/plan/edit/new", asRep);
        Assert.Equal(HttpStatusCode.Forbidden, (await riley.GetAsync("/plan/edit/new")).StatusCode);
    }

    [GeneratedRegex("<td class=\"num\"[^>]*>([^<]*)</td>")]
    private static partial Regex Cell();
}

public sealed class PlanPagesTestsOnSqlite() : PlanPagesTests(DatabaseProvider.Sqlite);

public sealed class PlanPagesTestsOnPostgres() : PlanPagesTests(DatabaseProvider.Postgres);
