using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Planning;

internal sealed record PlanSummaryDto(long Id, string Name, string Period, DateOnly Start, DateOnly End, bool Active, DateTimeOffset UpdatedAt);

/// <summary>/api/v1/plans: create, replace, delete and read plans; reading works each one out as of now.</summary>
internal static class ManagePlans
{
    public static async Task<Results<Created<PlanDto>, ValidationProblem>> Create(PlanRequest request, HttpContext http, Database db, TimeProvider clock,
        PlanningOptions options, CancellationToken ct)
    {
        var v = new Validation();
        if (request.Validate(v) is not { } tidy) return v.ToProblem();
        var now = clock.GetUtcNow();
        var row = PlanRow.From(tidy, now.ToUnixTimeMilliseconds(), Actors.Of(http.User).Name);
        var id = await db.WriteAsync<long?>(async (c, tx) => await PlanStore.NameTakenAsync(c, tx, row.Name, 0) ? null : await PlanStore.InsertAsync(c, tx, row), ct);
        if (id is null) return Problems.Field("name", $"Another plan is already called '{row.Name}'.");
        row.Id = id.Value;
        var dto = await db.ReadAsync(c => PlanView.ReadAsync(c, row, now, options.BehindPaceThreshold), ct);
        return TypedResults.Created($"/api/v1/plans/{row.Id}", dto);
    }

    public static async Task<Results<Ok<PlanDto>, ValidationProblem, ProblemHttpResult>> Replace(long id, PlanRequest request, HttpContext http, Database db,
        TimeProvider clock, PlanningOptions options, CancellationToken ct)
    {
        var v = new Validation();
        if (request.Validate(v) is not { } tidy) return v.ToProblem();
        var now = clock.GetUtcNow();
        var row = PlanRow.From(tidy, now.ToUnixTimeMilliseconds(), Actors.Of(http.User).Name);
        row.Id = id;
        var outcome = await db.WriteAsync(async (c, tx) =>
        {
            if (await PlanStore.GetAsync(c, id, tx) is not { } existing) return 404;
            if (await PlanStore.NameTakenAsync(c, tx, row.Name, id)) return 400;
            row.CreatedAt = existing.CreatedAt;
            await PlanStore.UpdateAsync(c, tx, row);
            return 200;
        }, ct);
        if (outcome == 404) return Problems.NotFound("Plan", id);
        if (outcome == 400) return Problems.Field("name", $"Another plan is already called '{row.Name}'.");
        return TypedResults.Ok(await db.ReadAsync(c => PlanView.ReadAsync(c, row, now, options.BehindPaceThreshold), ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, Database db, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => PlanStore.DeleteAsync(c, tx, id), ct) ? TypedResults.NoContent() : Problems.NotFound("Plan", id);

    public static async Task<Ok<IReadOnlyList<PlanSummaryDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<PlanSummaryDto>>((await db.ReadAsync(PlanStore.ListAsync, ct)).Select(Summary).ToList());

    public static async Task<Results<Ok<PlanDto>, ProblemHttpResult>> Get(long id, Database db, TimeProvider clock, PlanningOptions options, CancellationToken ct)
    {
        var dto = await db.ReadAsync(async c => await PlanStore.GetAsync(c, id) is { } row
            ? await PlanView.ReadAsync(c, row, clock.GetUtcNow(), options.BehindPaceThreshold) : null, ct);
        return dto is null ? Problems.NotFound("Plan", id) : TypedResults.Ok(dto);
    }

    /// <summary>The active plan whose period covers now (a month's before its quarter's); 404 when there is none.</summary>
    public static async Task<Results<Ok<PlanDto>, ProblemHttpResult>> Current(Database db, TimeProvider clock, PlanningOptions options, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dto = await db.ReadAsync(async c => (await PlanStore.ActiveAtAsync(c, now.ToUnixTimeMilliseconds())).FirstOrDefault() is { } row
            ? await PlanView.ReadAsync(c, row, now, options.BehindPaceThreshold) : null, ct);
        return dto is null
            ? TypedResults.Problem(statusCode: 404, title: "No current plan.", detail: "No active plan covers today; create one with POST /api/v1/plans.")
            : TypedResults.Ok(dto);
    }

    public static PlanSummaryDto Summary(PlanRow r) => new(r.Id, r.Name, r.PeriodKind, DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(r.StartsAt).UtcDateTime),
        DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(r.EndsAt).UtcDateTime), r.Active != 0, DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt));
}
