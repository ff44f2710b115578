using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Reporting;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.CampaignReports;

/// <summary>GET /api/v1/reports/attribution, …/attribution/credits and /api/v1/reports/campaigns.</summary>
internal static class AttributionEndpoints
{
    public sealed record CreditDto(long PersonId, string? Email, string? Name, string Outcome, DateTimeOffset At, double Share, decimal Amount,
        long? CampaignId, string Channel);

    public sealed record CreditsDto(string Model, DateOnly From, DateOnly To, string Outcome, long? Campaign, string? Channel, double Credited,
        IReadOnlyList<CreditDto> Credits);

    public static IEndpointRouteBuilder MapAttributionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reports").WithTags("Reports");
        group.MapGet("/attribution", Report).RequireScope(Scopes.ReportsRead)
            .WithSummary("Credited leads, MQLs, SQLs, opportunities, customers, pipeline and revenue per campaign or channel, with costs and ROI.");
        group.MapGet("/attribution/credits", CreditList).RequireScope(Scopes.ReportsRead)
            .WithSummary("The outcomes behind one figure: each person's outcome and the share credited to the campaign or channel.");
        group.MapGet("/campaigns", Campaigns).RequireScope(Scopes.ReportsRead)
            .WithSummary("Every campaign with its status, budget, members and the period's credited figures, costs and ROI.");
        return app;
    }

    internal static (CreditModel Model, ValidationProblem? Problem) Model(string? model)
    {
        if (string.IsNullOrWhiteSpace(model)) return (CreditModel.WShaped, null);
        return CreditModels.TryParse(model, out var m) ? (m, null)
            : (default, Problems.Field("model", $"'{model}' is not a model; use one of: {string.Join(", ", CreditModels.All.Select(x => x.Slug()))}."));
    }

    private static async Task<Results<Ok<AttributionReport.ReportDto>, ValidationProblem>> Report(string? model, string? by, string? from, string? to,
        Database db, TimeProvider clock, CancellationToken ct)
    {
        var (m, bad) = Model(model);
        if (bad is not null) return bad;
        by = (by ?? "campaign").Trim().ToLowerInvariant();
        if (!AttributionReport.Groupings.Contains(by)) return Problems.Field("by", $"Group by one of: {string.Join(", ", AttributionReport.Groupings)}.");
        var (period, problem) = ReportPeriod.Parse(from, to, clock.GetUtcNow());
        if (problem is not null) return problem;
        return TypedResults.Ok(await db.ReadAsync(c => AttributionReport.ReadAsync(c, period!, m, by, null), ct));
    }

    private static async Task<Results<Ok<CreditsDto>, ValidationProblem>> CreditList(string? model, string? outcome, long? campaign, string? channel,
        string? from, string? to, Database db, TimeProvider clock, CancellationToken ct)
    {
        var (m, bad) = Model(model);
        if (bad is not null) return bad;
        if (!TryOutcome(outcome, out var kind))
            return Problems.Field("outcome", $"Use one of: {string.Join(", ", Enum.GetValues<OutcomeKind>().Select(AttributionReport.Name))}.");
        var (period, problem) = ReportPeriod.Parse(from, to, clock.GetUtcNow());
        if (problem is not null) return problem;
        return TypedResults.Ok(await db.ReadAsync(c => ReadCreditsAsync(c, period!, m, kind, campaign, channel, null), ct));
    }

    public static bool TryOutcome(string? text, out OutcomeKind kind)
    {
        kind = Enum.GetValues<OutcomeKind>().FirstOrDefault(k => AttributionReport.Name(k) == (text ?? "leads").Trim().ToLowerInvariant());
        return AttributionReport.Name(kind) == (text ?? "leads").Trim().ToLowerInvariant();
    }

    private sealed record PersonName(long Id, string? Email, string? FirstName, string? LastName);

    /// <summary>The credits behind one cell: a campaign's (campaign 0: no campaign) or a channel's share of one kind of outcome.</summary>
    public static async Task<CreditsDto> ReadCreditsAsync(DbConnection c, ReportPeriod period, CreditModel model, OutcomeKind kind, long? campaign,
        string? channel, LeadScope? scope)
    {
        var credits = (await Credits.ReadAsync(c, period, model, scope))
            .Where(x => x.Kind == kind && (campaign is null || (campaign == 0 ? x.CampaignId is null : x.CampaignId == campaign)) && (channel is null || x.Channel == channel))
            .GroupBy(x => x.PersonId)
            .Select(g => g.First() with { Share = g.Sum(x => x.Share) })
            .OrderByDescending(x => x.At).ThenBy(x => x.PersonId).ToList();
        var ids = credits.Select(x => x.PersonId).ToArray();
        var (condition, value) = SqlDialect.Of(c).InIdList("id", "@ids", ids);
        var names = ids.Length == 0 ? new Dictionary<long, PersonName>()
            : (await c.QueryAsync<PersonName>($"SELECT id, email, first_name, last_name FROM people WHERE {condition}", new { ids = value })).ToDictionary(p => p.Id);
        return new CreditsDto(model.Slug(), period.From, period.To, AttributionReport.Name(kind), campaign, channel, Math.Round(credits.Sum(x => x.Share), 4),
            credits.Select(x =>
            {
                var p = names.GetValueOrDefault(x.PersonId);
                var name = string.Join(' ', new[] { p?.FirstName, p?.LastName }.Where(n => !string.IsNullOrEmpty(n)));
                return new CreditDto(x.PersonId, p?.Email, name.Length > 0 ? name : null, AttributionReport.Name(x.Kind), DateTimeOffset.FromUnixTimeMilliseconds(x.At),
                    Math.Round(x.Share, 4), x.Amount, x.CampaignId, x.Channel);
            }).ToList());
    }

    private static async Task<Results<Ok<CampaignsReport.ReportDto>, ValidationProblem>> Campaigns(string? model, string? from, string? to, Database db,
        TimeProvider clock, CancellationToken ct)
    {
        var (m, bad) = Model(model);
        if (bad is not null) return bad;
        var (period, problem) = ReportPeriod.Parse(from, to, clock.GetUtcNow());
        if (problem is not null) return problem;
        return TypedResults.Ok(await db.ReadAsync(c => CampaignsReport.ReadAsync(c, period!, m, null), ct));
    }
}
