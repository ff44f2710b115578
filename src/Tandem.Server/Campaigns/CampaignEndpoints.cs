using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Capture;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Campaigns;

internal sealed record CampaignDto(long Id, string Name, string Channel, string? UtmCampaign, long? CostCents, DateTimeOffset CreatedAt);

internal static class CampaignEndpoints
{
    public sealed record CreateCampaignRequest(string? Name, string? Channel, string? UtmCampaign, long? CostCents);

    private sealed record Row(long Id, string Name, string Channel, string? UtmCampaign, long? CostCents, long CreatedAt)
    {
        public CampaignDto ToDto() => new(Id, Name, Channel, UtmCampaign, CostCents, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/campaigns").WithTags("Campaigns");
        group.MapPost("/", Create).RequireScope(Scopes.Write).WithSummary("Register a campaign and its channel.");
        group.MapGet("/", List).RequireScope(Scopes.Read).WithSummary("List campaigns.");
        return app;
    }

    private static async Task<Results<Created<CampaignDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateCampaignRequest request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(request.Name)) v.Add("name", "A campaign name is required.");
        if (string.IsNullOrWhiteSpace(request.Channel)) v.Add("channel", $"A channel is required, e.g. {string.Join(", ", Channels.All)}.");
        if (request.CostCents is < 0) v.Add("costCents", "Cannot be negative.");
        if (!v.IsValid) return v.ToProblem();
        var utm = string.IsNullOrWhiteSpace(request.UtmCampaign) ? null : request.UtmCampaign.Trim().ToLowerInvariant();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = await db.WriteAsync((c, tx) => c.QuerySingleOrDefaultAsync<Row>(
            "INSERT INTO campaigns (name, channel, utm_campaign, cost_cents, created_at) VALUES (@name, @channel, @utm, @cost, @now) " +
            "ON CONFLICT (utm_campaign) DO NOTHING RETURNING id, name, channel, utm_campaign, cost_cents, created_at",
            new { name = request.Name!.Trim(), channel = Channels.Fold(request.Channel!), utm, cost = request.CostCents, now }, tx), ct);
        if (row is null) return Problems.Conflict("Campaign exists.", $"A campaign already uses utm_campaign '{utm}'.");
        return TypedResults.Created($"/api/v1/campaigns/{row.Id}", row.ToDto());
    }

    private static async Task<Ok<IReadOnlyList<CampaignDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<CampaignDto>>((await db.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT id, name, channel, utm_campaign, cost_cents, created_at FROM campaigns ORDER BY id"), ct)).Select(r => r.ToDto()).ToList());
}
