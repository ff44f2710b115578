using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Activities;

/// <summary>GET /api/v1/people/{id}/timeline: everything that happened to a person, newest first.</summary>
internal static class GetTimeline
{
    public static async Task<Results<Ok<Page<ActivityDto>>, ValidationProblem, ProblemHttpResult>> Handle(
        long id, string? type, int? limit, string? cursor, Database db, CancellationToken ct)
    {
        var take = limit ?? 100;
        if (take is < 1 or > 1000) return Problems.Field("limit", "Must be between 1 and 1000.");
        PageCursor? after = null;
        if (cursor is not null && (after = PageCursor.TryDecode(cursor)) is not { Sort: "timeline" })
            return Problems.Field("cursor", "Not a timeline cursor; start again without a cursor.");

        return await db.ReadAsync<Results<Ok<Page<ActivityDto>>, ValidationProblem, ProblemHttpResult>>(async c =>
        {
            var person = await PersonStore.FindLiveAsync(c, null, id);
            if (person is null) return Problems.NotFound("Person", id);
            var sql = "SELECT * FROM activities WHERE person_id = @pid" +
                      (type is null ? "" : " AND type = @type") +
                      (after is null ? "" : " AND (occurred_at < @at OR (occurred_at = @at AND id < @aid))") +
                      " ORDER BY occurred_at DESC, id DESC LIMIT @take";
            var rows = (await c.QueryAsync<ActivityRow>(sql, new
            {
                pid = person.Id, type, at = after?.Value.GetInt64() ?? 0, aid = after?.Id ?? 0, take = take + 1,
            })).ToList();
            var more = rows.Count > take;
            if (more) rows.RemoveAt(rows.Count - 1);
            var next = more ? PageCursor.For("timeline", rows[^1].OccurredAt, rows[^1].Id).Encode() : null;
            return TypedResults.Ok(new Page<ActivityDto>(rows.Select(r => r.ToDto()).ToList(), next));
        }, ct);
    }
}
