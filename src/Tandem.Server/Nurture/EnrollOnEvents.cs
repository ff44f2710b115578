using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Nurture;
using Tandem.Domain.Sla;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

/// <summary>
/// Programs follow what happens to people, inside the transaction it happened in: an event a program enters on (a form
/// submitted, a rejection by sales, a recycle, a move into a stage) enrolls the person; a profile or stage change
/// enrolls them in an active program whose filter they now match; and the exits — became MQL, accepted by sales,
/// replied, unsubscribed, bounced or complained, the owner touched them — take them out of the programs that exit on it.
/// Opens and clicks change nothing here: a branch reads them from the sends when it comes due.
/// </summary>
internal sealed class EnrollOnEvents(NurturePrograms programs, Enrollments enrollments, TimeProvider clock) : IPersonEventHandler
{
    /// <summary>How far back an appended form submission counts as the one that just happened.</summary>
    private const long RecentMs = 60_000;

    public async Task OnStageChangedAsync(DbConnection c, DbTransaction tx, StageChanged e)
    {
        var now = Now;
        if (e.To == Stage.MQL) await enrollments.ExitPersonAsync(c, tx, e.PersonId, ExitCriterion.BecameMql, ExitReasons.BecameMql, now);
        else if (e.To == Stage.SAL) await enrollments.ExitPersonAsync(c, tx, e.PersonId, ExitCriterion.AcceptedBySales, ExitReasons.AcceptedBySales, now);

        var onEvents = await programs.EnteringOnEventsAsync(c, tx);
        if (onEvents.Count > 0)
        {
            string? recycleReason = null, rejection = null;
            if (e.To == Stage.Recycled)
                recycleReason = await c.QueryFirstOrDefaultAsync<string>(
                    "SELECT reason_code FROM stage_changes WHERE person_id = @PersonId AND to_stage = 'Recycled' ORDER BY id DESC LIMIT 1", e, tx);
            if (e.From is Stage.MQL or Stage.SAL && e.To is Stage.Recycled or Stage.Disqualified)
                rejection = await c.QueryFirstOrDefaultAsync<string>(
                    "SELECT reason_code FROM dispositions WHERE person_id = @PersonId AND kind = 'rejected' AND decided_at >= @since ORDER BY id DESC LIMIT 1",
                    new { e.PersonId, since = now - RecentMs }, tx);
            foreach (var (program, definition) in onEvents)
            {
                var hit = definition.Entry.Events.Any(r =>
                    r.Matches(EntryEventType.BecameStage, null, e.To)
                    || e.To == Stage.Recycled && r.Matches(EntryEventType.Recycled, recycleReason, null)
                    || rejection is not null && r.Matches(EntryEventType.RejectedBySales, rejection, null));
                if (hit) await Enrollments.EnrollPersonAsync(c, tx, program, definition, e.PersonId, $"event:{e.To}", now);
            }
        }
        await EnrollIfMatchingAsync(c, tx, e.PersonId, now);
    }

    public Task OnProfileChangedAsync(DbConnection c, DbTransaction tx, ProfileChanged e) => EnrollIfMatchingAsync(c, tx, e.PersonId, Now);

    public async Task OnActivitiesAppendedAsync(DbConnection c, DbTransaction tx, ActivitiesAppended e)
    {
        var now = Now;
        var ids = e.PersonIds.Distinct().ToArray();
        var dialect = SqlDialect.Of(c);

        // The owner touched them: a call, email or meeting logged by a person (not the system) since they entered.
        var (enrolledIn, enrolledIds) = dialect.InIdList("e.person_id", "@ids", ids);
        var touched = (await c.QueryAsync<(long Id, long PersonId, long ProgramId, long Version)>(
            "SELECT e.id, e.person_id, e.program_id, e.version FROM nurture_enrollments e " +
            $"WHERE {enrolledIn} AND e.status = 'active' AND EXISTS (SELECT 1 FROM activities a WHERE a.person_id = e.person_id " +
            $"AND LOWER(a.type) IN ({TouchTypes}) AND a.source <> 'system' AND a.occurred_at >= e.entered_at)", new { ids = enrolledIds }, tx)).ToList();
        foreach (var t in touched)
            if ((await programs.DefinitionAsync(c, tx, t.ProgramId, t.Version)).ExitsOn(ExitCriterion.OwnerTouched))
                await Enrollments.ExitAsync(c, tx, t.Id, EnrollmentStatus.Exited, ExitReasons.OwnerTouched, now);

        var onForms = (await programs.EnteringOnEventsAsync(c, tx))
            .Where(p => p.Definition.Entry.Events.Any(r => r.Type == EntryEventType.FormSubmitted)).ToList();
        if (onForms.Count == 0) return;
        var (formIn, formIds) = dialect.InIdList("person_id", "@ids", ids);
        var forms = await c.QueryAsync<(long PersonId, string Properties)>(
            $"SELECT person_id, properties FROM activities WHERE {formIn} AND type = 'form_submitted' AND received_at >= @since",
            new { ids = formIds, since = now - RecentMs }, tx);
        foreach (var (personId, properties) in forms)
        {
            var form = FormName(properties);
            foreach (var (program, definition) in onForms)
                if (definition.Entry.Events.Any(r => r.Matches(EntryEventType.FormSubmitted, form, null)))
                    await Enrollments.EnrollPersonAsync(c, tx, program, definition, personId, $"form:{form}", now);
        }
    }

    public async Task OnEmailEventRecordedAsync(DbConnection c, DbTransaction tx, EmailEventRecorded e)
    {
        ExitCriterion? criterion = e.Kind switch
        {
            EmailEventKind.Replied => ExitCriterion.Replied,
            EmailEventKind.Unsubscribed => ExitCriterion.Unsubscribed,
            EmailEventKind.Bounced or EmailEventKind.Complained => ExitCriterion.Bounced,
            _ => null, // opens, clicks, auto-replies and soft bounces are facts a branch reads, not exits
        };
        var reason = e.Kind switch
        {
            EmailEventKind.Replied => ExitReasons.Replied,
            EmailEventKind.Unsubscribed => ExitReasons.Unsubscribed,
            EmailEventKind.Complained => ExitReasons.Complained,
            _ => ExitReasons.Bounced,
        };
        if (criterion is { } exit) await enrollments.ExitPersonAsync(c, tx, e.PersonId, exit, reason, Now);
    }

    /// <summary>Enrolls the person in every active filter program whose filter they now match (one INSERT … SELECT per program).</summary>
    private async Task EnrollIfMatchingAsync(DbConnection c, DbTransaction tx, long personId, long now)
    {
        foreach (var (program, definition) in await programs.EnteringByFilterAsync(c, tx))
            await Enrollments.EnrollMatchingAsync(c, tx, program, definition, "filter", now, personId);
    }

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static string? FormName(string properties)
    {
        try
        {
            using var doc = JsonDocument.Parse(properties);
            return doc.RootElement.TryGetProperty("form", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>The touch types as SQL literals: a fixed list of our own constants, never user input.</summary>
    private static readonly string TouchTypes = string.Join(", ", SlaClockStops.AttemptTypes.Select(t => $"'{t}'"));
}
