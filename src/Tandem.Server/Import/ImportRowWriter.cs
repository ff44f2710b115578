using System.Data.Common;
using Tandem.Domain.Capture;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.Identity;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Privacy;
using Tandem.Server.Storage;

namespace Tandem.Server.Import;

/// <summary>What the rows of one file share when they are written.</summary>
/// <param name="ObservedAt">When the file's values were observed, unless a row says otherwise: the first time this file was imported, so a re-run is a repeat, not news.</param>
internal sealed record ImportContext(long JobId, string FileName, Actor Actor, DateTimeOffset ObservedAt, DateTimeOffset Now);

/// <param name="Refused">Rows naming an erased person: reported as errors, never written.</param>
internal sealed record WriteTally(int Created, int Updated, int Unchanged, int Activities, IReadOnlyList<RowProblem> Refused);

/// <summary>
/// Writes validated rows through the same capture path as the API (identity, survivorship, account matching,
/// person events), then moves stages the file asks for and appends its engagement as activities.
/// Activities carry message ids derived from the person and the value, so a re-run appends nothing new.
/// </summary>
internal sealed class ImportRowWriter(PersonCapturer capturer, MoveStage moveStage, LifecycleSettings lifecycle, PersonEvents events)
{
    public async Task<WriteTally> WriteAsync(DbConnection c, DbTransaction tx, IReadOnlyList<MappedRow> rows, ImportContext ctx)
    {
        int created = 0, unchanged = 0;
        var known = await BatchIdentities.LoadAsync(c, tx, rows);
        var outcomes = new List<(bool Changed, bool Created, long PersonId)>(rows.Count);
        var pending = new List<NewActivity>();
        var refused = new List<RowProblem>();
        foreach (var row in rows)
        {
            try
            {
                outcomes.Add(await WriteRowAsync(c, tx, row, known, pending, ctx));
            }
            catch (ErasedPersonException e)
            {
                // The value is left out: the report must not hold the erased person's address again.
                refused.Add(new RowProblem(row.Row, e.Match.Field == "email" ? "email" : "external id", null,
                    $"Belongs to a person erased on {e.Match.ErasedAt:yyyy-MM-dd}; an import never adds them again. " +
                    "If they asked to be added, add them through the API with allowErased."));
            }
        }
        var engaged = await ImportActivities.AppendAsync(c, tx, pending);
        var updated = 0;
        foreach (var (changed, wasCreated, personId) in outcomes)
        {
            if (wasCreated) created++;
            else if (changed || engaged.ContainsKey(personId)) updated++;
            else unchanged++;
        }
        events.Raise(tx, new ActivitiesAppended(engaged.Keys.ToArray(), ctx.Actor));
        return new WriteTally(created, updated, unchanged, engaged.Values.Sum(), refused);
    }

    private async Task<(bool Changed, bool Created, long PersonId)> WriteRowAsync(DbConnection c, DbTransaction tx, MappedRow row,
        BatchIdentities known, List<NewActivity> pending, ImportContext ctx)
    {
        var observed = row.ObservedAt is { } o && o < ctx.Now ? o : ctx.ObservedAt;
        var existing = known.Find(row);

        Attribution? touch = new Attribution(Channel: row.Channel, Campaign: row.Campaign, UtmSource: row.UtmSource, UtmMedium: row.UtmMedium, UtmCampaign: row.UtmCampaign);
        // The same touch again is not a new touch: re-importing must not move the person's last-touch time.
        if (touch.IsEmpty || (existing?.LastTouch is { } last && last == Json.Write(touch.Completed()))) touch = null;

        var capture = new PersonCapture
        {
            Email = row.Email,
            ExternalIds = row.ExternalIds.Select(e => new ExternalIdDto(e.Source, e.Id)).ToList(),
            Fields = row.Fields,
            // An import can add an opt-out but never withdraw one: "Do Not Email: No" in an old file must not re-subscribe anyone.
            DoNotEmail = row.DoNotEmail == true ? true : null,
            DoNotCall = row.DoNotCall == true ? true : null,
            Unsubscribed = row.Unsubscribed == true ? true : null,
            Touch = touch,
            ObservedAt = observed,
            InitialStage = row.Stage is { } s && s.Stage.IsMain() ? s.Stage : null,
            CreatedAt = row.CreatedAt is { } since && since < ctx.Now ? since : null,
        };
        var outcome = await capturer.CaptureAsync(c, tx, capture, ctx.Actor, existing?.Id);
        var changed = outcome.Changed.Count > 0;
        // A new person already starts in a main stage the file names; only side stages and known people move.
        if (row.Stage is { } target && !(outcome.Created && target.Stage.IsMain()))
            changed |= await MoveStageAsync(c, tx, outcome.PersonId, target, row, ctx);
        AddEngagement(pending, outcome.PersonId, row, observed, ctx);
        return (changed, outcome.Created, outcome.PersonId);
    }

    private async Task<bool> MoveStageAsync(DbConnection c, DbTransaction tx, long personId, StageTarget target, MappedRow row, ImportContext ctx)
    {
        var person = (await PersonStore.FindLiveAsync(c, tx, personId, forUpdate: true))!;
        var from = person.ParsedStage;
        if (from == target.Stage) return false;
        // A file never drags a person backwards (an older export must not undo sales' work): refused moves keep the stage.
        var move = new StageMove(target.Stage, ctx.Actor, ctx.Now.ToUnixTimeMilliseconds(), ReasonFor(target), $"Imported from {ctx.FileName}, row {row.Row}");
        return (await moveStage.MoveAsync(c, tx, person, move)).IsAllowed;
    }

    /// <summary>The reason a side stage is entered with: the mapping's, else the first configured code.</summary>
    public string? ReasonFor(StageTarget target) =>
        target.Stage.NeedsReason() ? target.ReasonCode ?? lifecycle.ReasonCodes.For(target.Stage).FirstOrDefault() : null;

    private static void AddEngagement(List<NewActivity> list, long personId, MappedRow row, DateTimeOffset observed, ImportContext ctx)
    {
        var e = row.Engagement;
        if (e.IsEmpty) return;
        var at = observed.ToUnixTimeMilliseconds();
        var received = ctx.Now.ToUnixTimeMilliseconds();
        NewActivity Summary(string type, string unit, int value) => new(personId, null, type, at, received, ActivitySources.Import,
            Json.Write(new Dictionary<string, object> { [unit] = value, ["importJobId"] = ctx.JobId }),
            $"import:{personId}:{type}:{value}", row.Channel);
        // A zero count is the absence of engagement, not an event.
        if (e.Visits is > 0 and { } visits) list.Add(Summary("website_visits", "count", visits));
        if (e.TimeOnSiteSeconds is > 0 and { } seconds) list.Add(Summary("time_on_website", "seconds", seconds));
        if (e.PageViews is > 0 and { } views) list.Add(Summary("page_views", "count", views));
        if (e.LastActivity is { } label)
        {
            var type = ImportedActivityTypes.For(label);
            var when = (e.LastActivityAt is { } la && la < ctx.Now ? la : observed).ToUnixTimeMilliseconds();
            list.Add(new NewActivity(personId, null, type, when, received, ActivitySources.Import,
                Json.Write(new Dictionary<string, object> { ["label"] = label, ["importJobId"] = ctx.JobId }),
                $"import:{personId}:last:{type}:{(e.LastActivityAt is null ? "undated" : when)}", row.Channel));
        }
    }
}

/// <summary>Turns an exported activity label ("Email Opened", "Page Visited on Website") into a timeline event type.</summary>
internal static class ImportedActivityTypes
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Email Opened"] = "email_opened", ["Email Link Clicked"] = "email_clicked", ["Page Visited on Website"] = "page_view",
        ["Form Submitted on Website"] = "form_submitted", ["Olark Chat Conversation"] = "chat", ["Had a Phone Conversation"] = "call",
        ["Email Bounced"] = "email_bounced", ["Unsubscribed"] = "unsubscribed", ["Email Marked Spam"] = "email_marked_spam",
        ["Visited Booth in Tradeshow"] = "event_attended", ["SMS Sent"] = "sms_sent", ["Converted to Lead"] = "converted_to_lead",
    };

    public static string For(string label) =>
        Known.TryGetValue(label.Trim(), out var type) ? type : Tandem.Domain.Import.ImportTargets.CustomName(label).Replace('.', '_').Replace('-', '_');
}
