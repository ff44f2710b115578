using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Tandem.Server.Campaigns;

/// <summary>What a campaign may be: planned, running, paused or over. Reports count every status; the list hides none.</summary>
internal static class CampaignStatuses
{
    public const string Planned = "planned";
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Completed = "completed";

    public static readonly IReadOnlyList<string> All = [Planned, Active, Paused, Completed];
}

/// <summary>A member's status in a campaign, as a Marketo or HubSpot user records it for an event or a program.</summary>
internal static class MemberStatuses
{
    public const string Member = "member";

    public static readonly IReadOnlyList<string> All = [Member, "invited", "registered", "attended", "no-show", "responded"];
}

/// <param name="CostCents">The campaign's actual cost: the sum of its monthly costs (or the single total recorded before costs were monthly).</param>
/// <param name="Budget">The planned spend, in the currency's units.</param>
internal sealed record CampaignDto(long Id, string Name, string Channel, string Status, string? UtmCampaign, string? UtmSource, string? UtmMedium,
    DateOnly? StartsOn, DateOnly? EndsOn, decimal? Budget, long? CostCents, int Members, DateTimeOffset CreatedAt);

internal sealed class CampaignRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Status { get; set; } = CampaignStatuses.Active;
    public string? UtmCampaign { get; set; }
    public string? UtmSource { get; set; }
    public string? UtmMedium { get; set; }
    public long? StartsAt { get; set; }
    public long? EndsAt { get; set; }
    public long? BudgetCents { get; set; }
    public long? CostCents { get; set; }
    public long? MonthlyCents { get; set; }
    public long Members { get; set; }
    public long CreatedAt { get; set; }

    public const string Select =
        "SELECT c.id, c.name, c.channel, c.status, c.utm_campaign, c.utm_source, c.utm_medium, c.starts_at, c.ends_at, c.budget_cents, c.cost_cents, " +
        "(SELECT SUM(k.amount_cents) FROM campaign_costs k WHERE k.campaign_id = c.id) AS monthly_cents, " +
        "(SELECT COUNT(*) FROM campaign_members m WHERE m.campaign_id = c.id) AS members, c.created_at FROM campaigns c";

    public CampaignDto ToDto() => new(Id, Name, Channel, Status, UtmCampaign, UtmSource, UtmMedium, Day(StartsAt), Day(EndsAt), BudgetCents / 100m,
        MonthlyCents ?? CostCents, (int)Members, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));

    private static DateOnly? Day(long? ms) => ms is { } v ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(v).UtcDateTime) : null;

    public static long? Ms(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : null;

    public static async Task<CampaignRow?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        await c.QuerySingleOrDefaultAsync<CampaignRow>(Select + " WHERE c.id = @id", new { id }, tx);

    public static async Task<IReadOnlyList<CampaignRow>> ListAsync(DbConnection c, DbTransaction? tx) =>
        (await c.QueryAsync<CampaignRow>(Select + " ORDER BY c.name, c.id", transaction: tx)).ToList();

    public static string Money(long cents) => (cents / 100m).ToString("#,0.00", CultureInfo.InvariantCulture);
}
