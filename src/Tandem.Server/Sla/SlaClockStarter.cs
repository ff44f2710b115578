using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Server.Sla;

/// <summary>Starts the clocks of the policy that governs a lead, for its current owner and stage.</summary>
internal static class SlaClockStarter
{
    private sealed record PersonFacts(string Stage, string? FitGrade, string? FirstTouchChannel, long? OwnerTeamId);

    /// <returns>The number of clocks started (zero when no policy covers the lead in its stage).</returns>
    public static async Task<int> StartAsync(DbConnection c, DbTransaction tx, long personId, long ownerUserId, long? teamId, DateTimeOffset now)
    {
        // Stage moves write the row before anything reacts to them, so the row's stage is the one to match.
        var person = await c.QuerySingleOrDefaultAsync<PersonFacts>(
            "SELECT stage, fit_grade, first_touch_channel, owner_team_id FROM people WHERE id = @personId", new { personId }, tx);
        if (person is null || !Stages.TryParse(person.Stage, out var stage)) return 0;
        teamId ??= person.OwnerTeamId;
        var (policies, calendars) = await SlaPolicyStore.ActiveWithCalendarsAsync(c, tx);
        var policy = SlaPolicies.Match(policies, new LeadFacts(stage, person.FitGrade, person.FirstTouchChannel, teamId));
        if (policy is null) return 0;
        var calendar = calendars[policy.CalendarId].ToCalendar();
        var clocks = SlaClockPlanner.Plan(policy, calendar, now);
        await SlaClockStore.StartAsync(c, tx, personId, policy, ownerUserId, teamId, clocks);
        return clocks.Count;
    }
}
