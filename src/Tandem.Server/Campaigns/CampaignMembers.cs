using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Campaigns;

/// <summary>A campaign's members and their status (invited, registered, attended…): GET, POST, PUT and DELETE under …/members.</summary>
internal static class CampaignMembers
{
    public sealed record MemberDto(long PersonId, string? Email, string? Name, string? Stage, string Status, DateTimeOffset AddedAt, DateTimeOffset UpdatedAt);

    /// <summary>The person by id or email address.</summary>
    public sealed record AddRequest(long? PersonId, string? Email, string? Status);

    public sealed record StatusRequest(string? Status);

    private sealed record Row(long PersonId, string? Email, string? FirstName, string? LastName, string? Stage, string Status, long AddedAt, long UpdatedAt)
    {
        public MemberDto ToDto() => new(PersonId, Email, string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrEmpty(n))) is { Length: > 0 } n ? n : null,
            Stage, Status, DateTimeOffset.FromUnixTimeMilliseconds(AddedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }

    public static async Task<Results<Ok<IReadOnlyList<MemberDto>>, ValidationProblem, ProblemHttpResult>> List(long id, string? status, Database db,
        CancellationToken ct)
    {
        if (status is not null && !MemberStatuses.All.Contains(status)) return Problems.Field("status", $"Use one of: {string.Join(", ", MemberStatuses.All)}.");
        return await db.ReadAsync<Results<Ok<IReadOnlyList<MemberDto>>, ValidationProblem, ProblemHttpResult>>(async c =>
        {
            if (await CampaignRow.FindAsync(c, null, id) is null) return Problems.NotFound("Campaign", id);
            var rows = await c.QueryAsync<Row>(
                "SELECT m.person_id, p.email, p.first_name, p.last_name, p.stage, m.status, m.added_at, m.updated_at FROM campaign_members m " +
                "JOIN people p ON p.id = m.person_id WHERE m.campaign_id = @id AND (@status IS NULL OR m.status = @status) ORDER BY m.added_at, m.person_id",
                new { id, status });
            return TypedResults.Ok<IReadOnlyList<MemberDto>>(rows.Select(r => r.ToDto()).ToList());
        }, ct);
    }

    public static async Task<Results<Ok<MemberDto>, ValidationProblem, ProblemHttpResult>> Add(long id, AddRequest request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var v = new Validation();
        if (request.PersonId is null && string.IsNullOrWhiteSpace(request.Email)) v.Add("personId", "Name the person by personId or email.");
        var status = (request.Status ?? MemberStatuses.Member).Trim().ToLowerInvariant();
        if (!MemberStatuses.All.Contains(status)) v.Add("status", $"'{request.Status}' is not a member status; use one of: {string.Join(", ", MemberStatuses.All)}.");
        if (!v.IsValid) return v.ToProblem();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var outcome = await db.WriteAsync<(string? Missing, long PersonId)>(async (c, tx) =>
        {
            if (await CampaignRow.FindAsync(c, tx, id) is null) return ("campaign", 0);
            var personId = request.PersonId ?? await c.QuerySingleOrDefaultAsync<long?>(
                "SELECT id FROM people WHERE email = @email AND merged_into_id IS NULL", new { email = request.Email!.Trim().ToLowerInvariant() }, tx);
            if (personId is not { } pid || await PersonStore.FindLiveAsync(c, tx, pid) is null) return ("person", 0);
            await c.ExecuteAsync(
                "INSERT INTO campaign_members (campaign_id, person_id, status, added_at, updated_at) VALUES (@id, @pid, @status, @now, @now) " +
                "ON CONFLICT (campaign_id, person_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at", new { id, pid, status, now }, tx);
            return (null, pid);
        }, ct);
        return outcome.Missing switch
        {
            "campaign" => Problems.NotFound("Campaign", id),
            "person" => request.PersonId is { } p ? Problems.NotFound("Person", p) : Problems.Field("email", $"No person has the email address '{request.Email}'."),
            _ => TypedResults.Ok(await OneAsync(db, id, outcome.PersonId, ct)),
        };
    }

    public static async Task<Results<Ok<MemberDto>, ValidationProblem, ProblemHttpResult>> SetStatus(long id, long personId, StatusRequest request,
        Database db, TimeProvider clock, CancellationToken ct)
    {
        var status = request.Status?.Trim().ToLowerInvariant();
        if (status is null || !MemberStatuses.All.Contains(status))
            return Problems.Field("status", $"'{request.Status}' is not a member status; use one of: {string.Join(", ", MemberStatuses.All)}.");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var changed = await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE campaign_members SET status = @status, updated_at = @now WHERE campaign_id = @id AND person_id = @personId", new { status, now, id, personId }, tx), ct);
        return changed == 0 ? Problems.NotFound("Campaign member", $"{id}/{personId}") : TypedResults.Ok(await OneAsync(db, id, personId, ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(long id, long personId, Database db, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM campaign_members WHERE campaign_id = @id AND person_id = @personId", new { id, personId }, tx), ct) == 0
            ? Problems.NotFound("Campaign member", $"{id}/{personId}") : TypedResults.NoContent();

    private static async Task<MemberDto> OneAsync(Database db, long id, long personId, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QuerySingleAsync<Row>(
            "SELECT m.person_id, p.email, p.first_name, p.last_name, p.stage, m.status, m.added_at, m.updated_at FROM campaign_members m " +
            "JOIN people p ON p.id = m.person_id WHERE m.campaign_id = @id AND m.person_id = @personId", new { id, personId }), ct)).ToDto();
}
