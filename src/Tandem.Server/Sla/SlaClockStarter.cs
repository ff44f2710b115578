using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Server.Sla;

/// <summary>Starts the clocks of the policy that governs a lead, for its current owner and stage.</summary>
public static class SlaClockStarter
{
    private sealed record PersonFacts(string Stage, long StageChangedAt, string? FitGrade, string? FirstTouchChannel, long? OwnerTeamId,
        string? LatestChangeTo, long? LatestChangeAt);

    /// <param name="stage">The lead's stage when the caller knows it better than the row does (a stage change not yet written).</param>
    /// <returns>The number of clocks started (zero when no policy covers the lead or it has no owner).</returns>
    public static async Task<int> StartAsync(DbConnection c, DbTransaction tx, long personId, long ownerUserId, long? teamId, DateTimeOffset now,
        Stage? stage = null)
    {
        var person = await c.QuerySingleOrDefaultAsync<PersonFacts>(
            "SELECT p.stage, p.stage_changed_at, p.fit_grade, p.first_touch_channel, p.owner_team_id, sc.to_stage AS latest_change_to, sc.changed_at AS latest_change_at " +
            "FROM people p LEFT JOIN stage_changes sc ON sc.id = (SELECT MAX(id) FROM stage_changes WHERE person_id = p.id) WHERE p.id = @personId",
            new { personId }, tx);
        if (person is null) return 0;
        // A stage change reaches the people row only after its handlers ran, and routing assigns from inside those
        // handlers: a history row newer than the person's stage is the stage the lead is entering in this transaction.
        var current = person.LatestChangeAt >= person.StageChangedAt && person.LatestChangeTo is { } entering ? entering : person.Stage;
        if (stage is null && Stages.TryParse(current, out var stored)) stage = stored;
        if (stage is null) return 0;
        teamId ??= person.OwnerTeamId;
        var (policies, calendars) = await SlaPolicyStore.ActiveWithCalendarsAsync(c, tx);
        var policy = SlaPolicies.Match(policies, new LeadFacts(stage.Value, person.FitGrade, person.FirstTouchChannel, teamId));
        if (policy is null) return 0;
        var calendar = calendars[policy.CalendarId].ToCalendar();
        var clocks = SlaClockPlanner.Plan(policy, calendar, now);
        await SlaClockStore.StartAsync(c, tx, personId, policy, ownerUserId, teamId, clocks);
        return clocks.Count;
    }
}
