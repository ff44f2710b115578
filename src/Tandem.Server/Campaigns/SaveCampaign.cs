using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Capture;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Campaigns;

/// <summary>POST /api/v1/campaigns and PUT /api/v1/campaigns/{id}: a campaign's name, channel, status, UTM tags, dates and budget.</summary>
internal static class SaveCampaign
{
    /// <param name="CostCents">A single total cost, kept for callers from before costs were monthly; monthly costs replace it in every figure.</param>
    public sealed record Request(string? Name, string? Channel, string? Status, string? UtmCampaign, string? UtmSource, string? UtmMedium,
        DateOnly? StartsOn, DateOnly? EndsOn, decimal? Budget, long? CostCents);

    public static async Task<Results<Created<CampaignDto>, ValidationProblem, ProblemHttpResult>> Create(Request request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        if (Validate(request) is { } problem) return problem;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var utm = Utm(request.UtmCampaign);
        var id = await db.WriteAsync((c, tx) => c.QuerySingleOrDefaultAsync<long?>(
            "INSERT INTO campaigns (name, channel, status, utm_campaign, utm_source, utm_medium, starts_at, ends_at, budget_cents, cost_cents, created_at, updated_at) " +
            "VALUES (@Name, @Channel, @Status, @utm, @UtmSource, @UtmMedium, @StartsAt, @EndsAt, @BudgetCents, @CostCents, @now, @now) " +
            "ON CONFLICT (utm_campaign) DO NOTHING RETURNING id", Values(request, utm, now), tx), ct);
        if (id is null) return Problems.Conflict("Campaign exists.", $"A campaign already uses utm_campaign '{utm}'.");
        var row = await db.ReadAsync(c => CampaignRow.FindAsync(c, null, id.Value), ct);
        return TypedResults.Created($"/api/v1/campaigns/{id}", row!.ToDto());
    }

    public static async Task<Results<Ok<CampaignDto>, ValidationProblem, ProblemHttpResult>> Update(long id, Request request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        if (Validate(request) is { } problem) return problem;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var utm = Utm(request.UtmCampaign);
        var outcome = await db.WriteAsync(async (c, tx) =>
        {
            if (await CampaignRow.FindAsync(c, tx, id) is null) return "missing";
            if (utm is not null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM campaigns WHERE utm_campaign = @utm AND id <> @id", new { utm, id }, tx) > 0)
                return "taken";
            var values = new DynamicParameters(Values(request, utm, now));
            values.Add("id", id);
            await c.ExecuteAsync(
                "UPDATE campaigns SET name = @Name, channel = @Channel, status = @Status, utm_campaign = @utm, utm_source = @UtmSource, utm_medium = @UtmMedium, " +
                "starts_at = @StartsAt, ends_at = @EndsAt, budget_cents = @BudgetCents, cost_cents = COALESCE(@CostCents, cost_cents), updated_at = @now WHERE id = @id",
                values, tx);
            return "ok";
        }, ct);
        if (outcome == "missing") return Problems.NotFound("Campaign", id);
        if (outcome == "taken") return Problems.Conflict("Campaign exists.", $"Another campaign already uses utm_campaign '{utm}'.");
        return TypedResults.Ok((await db.ReadAsync(c => CampaignRow.FindAsync(c, null, id), ct))!.ToDto());
    }

    private static ValidationProblem? Validate(Request request)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(request.Name)) v.Add("name", "A campaign name is required.");
        else if (request.Name.Trim().Length > 200) v.Add("name", "Must be at most 200 characters.");
        if (string.IsNullOrWhiteSpace(request.Channel)) v.Add("channel", $"A channel is required, e.g. {string.Join(", ", Channels.All)}.");
        if (request.Status is { } s && !CampaignStatuses.All.Contains(s.Trim().ToLowerInvariant()))
            v.Add("status", $"'{s}' is not a status; use one of: {string.Join(", ", CampaignStatuses.All)}.");
        if (request.UtmCampaign is { Length: > 200 }) v.Add("utmCampaign", "Must be at most 200 characters.");
        if (request.StartsOn is { } start && request.EndsOn is { } end && end < start) v.Add("endsOn", "Must not be before startsOn.");
        if (request.Budget is { } b && (b < 0 || decimal.Round(b, 2) != b)) v.Add("budget", "Must be at least 0, with at most two decimals.");
        if (request.CostCents is < 0) v.Add("costCents", "Cannot be negative.");
        return v.IsValid ? null : v.ToProblem();
    }

    private static string? Utm(string? utm) => string.IsNullOrWhiteSpace(utm) ? null : utm.Trim().ToLowerInvariant();

    private static string? Tag(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().ToLowerInvariant();

    private static object Values(Request r, string? utm, long now) => new
    {
        Name = r.Name!.Trim(), Channel = Channels.Fold(r.Channel!), Status = r.Status?.Trim().ToLowerInvariant() ?? CampaignStatuses.Active, utm,
        UtmSource = Tag(r.UtmSource), UtmMedium = Tag(r.UtmMedium), StartsAt = CampaignRow.Ms(r.StartsOn), EndsAt = CampaignRow.Ms(r.EndsOn),
        BudgetCents = r.Budget is { } b ? (long)(b * 100) : (long?)null, r.CostCents, now,
    };
}
