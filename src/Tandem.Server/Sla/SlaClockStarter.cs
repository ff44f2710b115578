using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Server.Sla;

/// <summary>Starts the clocks of the policy that governs a lead, for its current owner and stage.</summary>
public static class SlaClockStarter
{
    private sealed record PersonFacts(string Stage, string? FitGrade, string? FirstTouchChannel, long? OwnerId, long? OwnerTeamId);

    /// <param name="stage">The lead's stage when the caller knows it better than the row does (a stage change not yet written).</param>
    /// <returns>The number of clocks started (zero when no policy covers the lead or it has no owner).</returns>
    public static async Task<int> StartAsync(DbConnection c, DbTransaction tx, long personId, long ownerUserId, long? teamId, DateTimeOffset now,
        Stage? stage = null)
    {
        var person = await c.QuerySingleOrDefaultAsync<PersonFacts>(
            "SELECT stage, fit_grade, first_touch_channel, owner_id, owner_team_id FROM people WHERE id = @personId", new { personId }, tx);
        if (person is null) return 0;
        if (stage is null && Stages.TryParse(person.Stage, out var stored)) stage = stored;
        if (stage is null) return 0;
        teamId ??= person.OwnerTeamId;
        var policy = SlaPolicies.Match(await SlaPolicyStore.ActiveAsync(c, tx), new LeadFacts(stage.Value, person.FitGrade, person.FirstTouchChannel, teamId));
        if (policy is null) return 0;
        var calendar = (await SlaCalendars.FindAsync(c, tx, policy.CalendarId))!.ToCalendar();
        var clocks = SlaClockPlanner.Plan(policy, calendar, now);
        await SlaClockStore.StartAsync(c, tx, personId, policy, ownerUserId, teamId, clocks);
        return clocks.Count;
    }
}
