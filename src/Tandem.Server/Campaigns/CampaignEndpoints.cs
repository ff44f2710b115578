using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Campaigns;

internal static class CampaignEndpoints
{
    public sealed record CampaignDetailDto(CampaignDto Campaign, IReadOnlyList<CampaignCosts.CostDto> Costs, IReadOnlyDictionary<string, int> MembersByStatus);

    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/campaigns").WithTags("Campaigns");
        group.MapPost("/", SaveCampaign.Create).RequireScope(Scopes.Write).WithSummary("Register a campaign: channel, status, UTM tags, dates and budget.");
        group.MapGet("/", List).RequireScope(Scopes.Read).WithSummary("List campaigns.");
        group.MapGet("/{id:long}", Get).RequireScope(Scopes.Read).WithSummary("A campaign with its monthly costs and members per status.");
        group.MapPut("/{id:long}", SaveCampaign.Update).RequireScope(Scopes.Write).WithSummary("Change a campaign.");
        group.MapGet("/{id:long}/costs", CampaignCosts.List).RequireScope(Scopes.Read).WithSummary("A campaign's actual costs per month.");
        group.MapPut("/{id:long}/costs/{month}", CampaignCosts.Set).RequireScope(Scopes.Write).WithSummary("Enter a month's actual cost (\"2026-10\").");
        group.MapDelete("/{id:long}/costs/{month}", CampaignCosts.Remove).RequireScope(Scopes.Write).WithSummary("Remove a month's cost.");
        group.MapPost("/{id:long}/costs/import", ImportOne).RequireScope(Scopes.Write).Accepts<string>("text/csv")
            .WithSummary("Import a campaign's costs from CSV (month, amount): all or nothing, bad lines named by number.");
        group.MapPost("/costs/import", ImportMany).RequireScope(Scopes.Write).Accepts<string>("text/csv")
            .WithSummary("Import several campaigns' costs from CSV (campaign, month, amount): all or nothing, bad lines named by number.");
        group.MapGet("/{id:long}/members", CampaignMembers.List).RequireScope(Scopes.Read).WithSummary("A campaign's members and their status.");
        group.MapPost("/{id:long}/members", CampaignMembers.Add).RequireScope(Scopes.Write).WithSummary("Add a person (by id or email) with a status.");
        group.MapPut("/{id:long}/members/{personId:long}", CampaignMembers.SetStatus).RequireScope(Scopes.Write).WithSummary("Change a member's status.");
        group.MapDelete("/{id:long}/members/{personId:long}", CampaignMembers.Remove).RequireScope(Scopes.Write).WithSummary("Remove a member.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<CampaignDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<CampaignDto>>((await db.ReadAsync(c => CampaignRow.ListAsync(c, null), ct)).Select(r => r.ToDto()).ToList());

    public static async Task<Results<Ok<CampaignDetailDto>, ProblemHttpResult>> Get(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync<Results<Ok<CampaignDetailDto>, ProblemHttpResult>>(async c =>
        {
            if (await CampaignRow.FindAsync(c, null, id) is not { } row) return Problems.NotFound("Campaign", id);
            var statuses = await Dapper.SqlMapper.QueryAsync<(string Status, long Count)>(c,
                "SELECT status, COUNT(*) FROM campaign_members WHERE campaign_id = @id GROUP BY status", new { id });
            return TypedResults.Ok(new CampaignDetailDto(row.ToDto(), await CampaignCosts.ForCampaignAsync(c, id),
                statuses.OrderBy(s => MemberStatuses.All.ToList().IndexOf(s.Status)).ToDictionary(s => s.Status, s => (int)s.Count)));
        }, ct);

    private static async Task<Results<Ok<CampaignCosts.ImportedDto>, ValidationProblem, ProblemHttpResult>> ImportOne(long id, HttpRequest request,
        Database db, TimeProvider clock, CancellationToken ct) =>
        await CampaignCosts.Import(id, await new StreamReader(request.Body).ReadToEndAsync(ct), db, clock, ct);

    private static async Task<Results<Ok<CampaignCosts.ImportedDto>, ValidationProblem, ProblemHttpResult>> ImportMany(HttpRequest request,
        Database db, TimeProvider clock, CancellationToken ct) =>
        await CampaignCosts.Import(null, await new StreamReader(request.Body).ReadToEndAsync(ct), db, clock, ct);
}
