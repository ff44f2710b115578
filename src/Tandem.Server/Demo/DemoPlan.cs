using Dapper;
using Tandem.Domain.Planning;
using Tandem.Server.Planning;
using Tandem.Server.Storage;

namespace Tandem.Server.Demo;

/// <summary>
/// The current quarter's plan, sized on the demo's own history so its pacing has something to say: a target a little
/// above the deals of the last 90 days carried over the quarter, marketing's 60 % of it, the three largest first-touch
/// channels by their share of the leads, every rate measured but opportunity → deal, and one scenario.
/// </summary>
internal static class DemoPlan
{
    private const decimal DealSize = 25_000m;

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<Database>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var quarter = PlanPeriod.Containing(PeriodKind.Quarter, DateOnly.FromDateTime(now.UtcDateTime));
        var since = now.AddDays(-90).ToUnixTimeMilliseconds();
        var (deals, channels, team) = await db.ReadAsync(async c =>
        {
            var won = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stage_reached WHERE stage = 'Customer' AND reached_at >= @since", new { since });
            var top = (await c.QueryAsync<(string Channel, long Leads)>(
                "SELECT first_touch_channel, COUNT(*) FROM people WHERE first_touch_channel IS NOT NULL AND merged_into_id IS NULL AND created_at >= @since " +
                "GROUP BY first_touch_channel ORDER BY 2 DESC, 1 LIMIT 3", new { since })).ToList();
            var inbound = await c.ExecuteScalarAsync<long?>("SELECT id FROM teams WHERE name = 'Inbound SDR'");
            return (won, top, inbound);
        }, ct);

        var quarterDeals = Math.Max(4, Math.Ceiling(deals * 1.15 * quarter.Days / 90.0));
        var target = Math.Round((decimal)quarterDeals * DealSize / 0.6m / 10_000m) * 10_000m;
        var total = channels.Sum(ch => ch.Leads);
        var shares = channels.Select(ch => Math.Round((double)ch.Leads / total, 2)).ToList();
        if (shares.Count > 0) shares[^1] = Math.Round(1 - shares.Take(shares.Count - 1).Sum(), 2);

        var request = new PlanRequest(quarter.Label, "quarter", quarter.Start.ToString("yyyy-MM-dd"), target, 0.6, DealSize,
            // The demo's 90 days hold few closed deals: the close rate is the sales team's long-run figure, typed in.
            new Dictionary<string, RateInput> { ["opportunityToDeal"] = new(RateSources.Hand, 0.3) }, 90,
            channels.Select((ch, i) => new ChannelInput(ch.Channel, shares[i],
                i == 0 ? new Dictionary<string, RateInput> { ["mqlToSal"] = new(RateSources.Measured, null) } : null)).ToList(),
            [
                new ScenarioInput("+10% MQL→SAL", new Dictionary<string, double> { ["mqlToSal"] = 1.1 }, null, null),
                new ScenarioInput($"+20,000 on {channels.FirstOrDefault().Channel ?? "Paid Search"}", [], null,
                    new BudgetInput(channels.FirstOrDefault().Channel ?? "Paid Search", 20_000m, 150m)),
            ],
            new CapacityInput(team, 30, 10), true);
        var v = new Hosting.Validation();
        if (request.Validate(v) is not { } tidy) return; // a workspace too small for a mix of channels has no demo plan
        await db.WriteAsync((c, tx) => PlanStore.InsertAsync(c, tx, PlanRow.From(tidy, now.ToUnixTimeMilliseconds(), "Demo")), ct);
    }
}
