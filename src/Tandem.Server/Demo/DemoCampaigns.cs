using System.Data.Common;
using System.Globalization;
using Dapper;
using Tandem.Server.Activities;
using Tandem.Server.Content;
using Tandem.Server.Storage;

namespace Tandem.Server.Demo;

/// <summary>
/// Makes the campaign, attribution and content reports meaningful: each campaign's spend spread over the months of the
/// 90 days with a budget and dates, a second campaign touch before many MQLs and SQLs (so the models disagree), campaign
/// members, a content registry matching the demo site, and the decks and data sheets reps sent to their leads.
/// </summary>
internal static class DemoCampaigns
{
    private const long Day = 24L * 60 * 60 * 1000;

    /// <summary>The demo's campaign totals are a small company's; its deals are not: the spend is scaled so ROI reads plausibly.</summary>
    private const long SpendScale = 4;

    // Properties, not a positional record: SQLite types a NULL subquery result as a blob, which only property mapping tolerates.
    private sealed class Reach
    {
        public long PersonId { get; set; }
        public long CreatedAt { get; set; }
        public long? MqlAt { get; set; }
        public long? SalAt { get; set; }
        public long? SqlAt { get; set; }
        public long? OwnerId { get; set; }
        public string? OwnerName { get; set; }
    }

    private static readonly (string Title, string Type, string? Url, string? Key, string Team)[] Assets =
    [
        ("Pricing page", "web-page", "/pricing", null, "marketing"),
        ("Data SLAs blog post", "blog-post", "/blog/data-sla*", null, "marketing"),
        ("Observability guide", "blog-post", "/blog/observability-guide*", null, "marketing"),
        ("Customer stories", "case-study", "/customers", null, "marketing"),
        ("State of Data Reliability 2026", "report", null, "State of Data Reliability 2026", "marketing"),
        ("Getting started docs", "web-page", "/docs/getting-started", null, "product"),
        ("Pricing deck", "deck", null, "pricing-deck", "sales"),
        ("Security data sheet", "data-sheet", "/security", "security-data-sheet", "product"),
        ("ROI calculator", "other", null, "roi-calculator", "sales"),
    ];

    public static async Task SeedAsync(DbConnection c, DbTransaction tx, DateTimeOffset now)
    {
        var random = new Random(20261203);
        var start = now.AddDays(-90);
        var at = now.ToUnixTimeMilliseconds();
        var campaigns = (await c.QueryAsync<(long Id, string Utm)>("SELECT id, utm_campaign FROM campaigns WHERE utm_campaign IS NOT NULL", transaction: tx))
            .ToDictionary(k => k.Utm, k => k.Id);

        foreach (var campaign in DemoData.Campaigns)
        {
            if (!campaigns.TryGetValue(campaign.UtmCampaign, out var id)) continue;
            var events = campaign.Channel == "Events";
            var begins = events ? start.AddDays(20) : start;
            var ends = events ? start.AddDays(campaign.UtmCampaign.StartsWith("webinar", StringComparison.Ordinal) ? 45 : 70) : (DateTimeOffset?)null;
            await c.ExecuteAsync(
                "UPDATE campaigns SET status = @status, utm_source = @UtmSource, utm_medium = @UtmMedium, starts_at = @s, ends_at = @e, budget_cents = @budget, " +
                "updated_at = @at WHERE id = @id",
                new
                {
                    status = ends is { } e && e < now ? "completed" : "active", campaign.UtmSource, campaign.UtmMedium, s = begins.ToUnixTimeMilliseconds(),
                    e = ends?.ToUnixTimeMilliseconds(), budget = campaign.CostCents * SpendScale / 1000 * 1100, at, id,
                }, tx);
            // The spend, spread over the calendar months by the days of each the campaign ran, as an ad platform's export would give it.
            var days = Enumerable.Range(0, 90).Select(d => start.AddDays(d)).Where(d => d >= begins && (ends is null || d < ends)).ToList();
            foreach (var month in days.GroupBy(d => d.ToString("yyyy-MM", CultureInfo.InvariantCulture)))
                await c.ExecuteAsync(
                    "INSERT INTO campaign_costs (campaign_id, month, amount_cents, source, updated_at) VALUES (@id, @month, @cents, 'import', @at)",
                    new { id, month = month.Key, cents = campaign.CostCents * SpendScale * month.Count() / days.Count, at }, tx);
        }

        var people = (await c.QueryAsync<Reach>(
            "SELECT p.id AS PersonId, p.created_at AS CreatedAt, " +
            "(SELECT MIN(s.changed_at) FROM stage_changes s WHERE s.person_id = p.id AND s.to_stage IN ('MQL', 'SAL', 'SQL', 'Opportunity', 'Customer')) AS MqlAt, " +
            "(SELECT MIN(s.changed_at) FROM stage_changes s WHERE s.person_id = p.id AND s.to_stage IN ('SAL', 'SQL', 'Opportunity', 'Customer')) AS SalAt, " +
            "(SELECT MIN(s.changed_at) FROM stage_changes s WHERE s.person_id = p.id AND s.to_stage IN ('SQL', 'Opportunity', 'Customer')) AS SqlAt, " +
            "p.owner_id AS OwnerId, u.name AS OwnerName FROM people p LEFT JOIN users u ON u.id = p.owner_id WHERE p.merged_into_id IS NULL ORDER BY p.id",
            transaction: tx)).ToList();

        (string Utm, string Type, string Channel, object Props)[] nurture =
        [
            ("newsletter-monthly", "email_clicked", "Email", new { email = "Newsletter – monthly", url = "https://lumen.example/blog/observability-guide" }),
            ("webinar-data-slas", "webinar_attended", "Events", new { webinar = "Data SLAs that hold" }),
            ("retargeting-display", "page_view", "Display", new { url = "https://lumen.example/pricing", path = "/pricing" }),
            ("li-heads-of-data", "page_view", "Paid Social", new { url = "https://lumen.example/customers", path = "/customers" }),
        ];
        (string Utm, string Type, string Channel, object Props)[] closing =
        [
            ("data-council-booth", "event_attended", "Events", new { @event = "Data Council booth" }),
            ("webinar-data-slas", "webinar_attended", "Events", new { webinar = "Data SLAs that hold" }),
            ("retargeting-display", "page_view", "Display", new { url = "https://lumen.example/security", path = "/security" }),
        ];
        var sent = Assets.Select((a, i) => (a, i)).Where(x => x.a.Key is "pricing-deck" or "security-data-sheet" or "roi-calculator").ToList();
        var assetIds = new List<long>();
        foreach (var a in Assets)
            assetIds.Add(await c.ExecuteScalarAsync<long>(
                "INSERT INTO content_assets (title, type, url_pattern, asset_key, owner_team, created_at, updated_at) VALUES (@Title, @Type, @Url, @Key, @Team, @at, @at) RETURNING id",
                new { a.Title, a.Type, a.Url, a.Key, a.Team, at = start.ToUnixTimeMilliseconds() }, tx));

        foreach (var p in people)
        {
            if (p.MqlAt is { } mql && random.NextDouble() < 0.55)
                await TouchAsync(c, tx, campaigns, p.PersonId, nurture[random.Next(nurture.Length)], Between(random, p.CreatedAt, mql));
            if (p.SqlAt is { } sql && p.MqlAt is { } m2 && random.NextDouble() < 0.45)
                await TouchAsync(c, tx, campaigns, p.PersonId, closing[random.Next(closing.Length)], Between(random, m2, sql));
            if (p.SalAt is { } sal && p.OwnerId is { } owner)
                foreach (var (asset, index) in sent)
                {
                    var chance = asset.Key switch { "pricing-deck" => 0.6, "security-data-sheet" => 0.3, _ => 0.25 };
                    if (random.NextDouble() >= chance) continue;
                    var when = Math.Min(sal + (long)(random.NextDouble() * 5 * Day), at - 60_000);
                    await ActivityStore.AppendAsync(c, tx, new NewActivity(p.PersonId, null, ShareContent.ActivityType, when, when, ActivitySources.Api,
                        Json.Write(new Dictionary<string, object?> { ["assetId"] = assetIds[index], ["title"] = asset.Title, ["byType"] = "User",
                            ["byId"] = owner.ToString(CultureInfo.InvariantCulture), ["by"] = p.OwnerName })));
                }
        }
        // Everyone a campaign touched is its member: responded, unless they attended an event above.
        await c.ExecuteAsync(
            "INSERT INTO campaign_members (campaign_id, person_id, status, added_at, updated_at) " +
            "SELECT a.campaign_id, a.person_id, 'responded', MIN(a.occurred_at), MIN(a.occurred_at) FROM activities a " +
            "WHERE a.campaign_id IS NOT NULL AND a.person_id IS NOT NULL GROUP BY a.campaign_id, a.person_id ON CONFLICT (campaign_id, person_id) DO NOTHING",
            transaction: tx);
    }

    private static long Between(Random random, long from, long to) => to <= from ? from : from + (long)(random.NextDouble() * (to - from));

    private static async Task TouchAsync(DbConnection c, DbTransaction tx, Dictionary<string, long> campaigns, long personId,
        (string Utm, string Type, string Channel, object Props) touch, long when)
    {
        if (!campaigns.TryGetValue(touch.Utm, out var campaignId)) return;
        await ActivityStore.AppendAsync(c, tx, new NewActivity(personId, null, touch.Type, when, when, ActivitySources.Tracking, Json.Write(touch.Props),
            Channel: touch.Channel, CampaignId: campaignId));
        var status = touch.Type is "webinar_attended" or "event_attended" ? "attended" : "responded";
        await c.ExecuteAsync(
            "INSERT INTO campaign_members (campaign_id, person_id, status, added_at, updated_at) VALUES (@campaignId, @personId, @status, @when, @when) " +
            "ON CONFLICT (campaign_id, person_id) DO NOTHING", new { campaignId, personId, status, when }, tx);
    }
}
