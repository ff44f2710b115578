using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Hosting;
using Tandem.Server.Nurture;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Inbox;
using Tandem.Server.Web.People;

namespace Tandem.Server.Web.Pages;

/// <summary>
/// The rep's working list: open leads (MQL, SAL) they own, the most urgent deadline first, a page at a time and
/// filtered by stage, source, overdue and revived from the address. Managers see their teams' leads, every one of them.
/// </summary>
internal sealed class InboxModel(Database db, TimeProvider clock) : TandemPageModel
{
    public IReadOnlyList<InboxQuery.InboxRow> Leads { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    /// <summary>For MQLs that do not meet the definition now: when they qualified and what moved since.</summary>
    public IReadOnlyDictionary<long, string> Standings { get; private set; } = new Dictionary<long, string>();

    /// <summary>The view the address asks for: stage, source, overdue, revived and the page.</summary>
    public InboxFilter Filter { get; private set; } = InboxFilter.Everything;

    /// <summary>Filter values the address carries that cannot be used, by field; then the list shows nothing.</summary>
    public IReadOnlyDictionary<string, string[]> FilterProblems { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>How many open leads each combination of filters holds: the source of every count on the page.</summary>
    public InboxCounts Counts { get; private set; } = new([]);

    /// <summary>The leads the view lists, over all its pages.</summary>
    public long Total => FilterProblems.Count > 0 ? 0 : Counts.Count(Filter);

    /// <summary>Every open lead in the inbox, whatever the filters.</summary>
    public long AllOpen => Counts.Count(InboxFilter.Everything);

    public int PageCount => (int)Math.Max(1, (Total + InboxFilter.PageSize - 1) / InboxFilter.PageSize);

    /// <summary>The open tasks programs made for this user ("call Sam — clicked pricing twice"), the soonest due first.</summary>
    public IReadOnlyList<Tasks.TaskDto> OpenTasks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Me.Role is not (Roles.SalesRep or Roles.SalesManager)) return Redirect("/people");
        Now = clock.GetUtcNow();
        var v = new Validation();
        Filter = InboxFilter.Parse(name => Request.Query[name].ToString(), v);
        FilterProblems = v.Errors;
        // One instant for the counts and the list, so a lead falling overdue between the two reads is counted as listed.
        (Counts, Leads) = await db.ReadAsync(async c => (await InboxCounts.ReadAsync(c, Scope, Now),
            v.IsValid ? await InboxQuery.PageAsync(c, Scope, Filter, Now) : []), ct);
        var lapsed = Leads.Where(l => l.Stage == "MQL" && l.MeetsMql == 0).ToList();
        var qualifications = await db.ReadAsync(c => Scoring.MqlStanding.LoadAsync(c, lapsed.Select(l => l.Id).ToList()), ct);
        Standings = lapsed.ToDictionary(l => l.Id, l => Scoring.MqlStanding.Describe(
            new Scoring.MqlStanding.Now(l.Stage, false, l.ScoreCell, l.EngagementScore, l.FitGrade, l.ScoreModelVersion), qualifications.GetValueOrDefault(l.Id))!);
        OpenTasks = (await Tasks.List(Me.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), open: true, personId: null, db, ct)).Result
            is Ok<IReadOnlyList<Tasks.TaskDto>> ok ? ok.Value ?? [] : [];
        return Page();
    }

    /// <summary>Back to the view a form was posted from: its address is read again, so only a valid inbox view is linked.</summary>
    private RedirectResult BackToView(string? view)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(view is null ? "" : "?" + view.TrimStart('?'));
        var filter = InboxFilter.Parse(name => query.TryGetValue(name, out var value) ? value.ToString() : null, new Validation());
        return Redirect(filter.Url);
    }

    /// <summary>Only the task's owner marks it done from here; the API is for integrations with a write key.</summary>
    public async Task<IActionResult> OnPostCompleteTaskAsync([FromForm] long id, [FromForm] string? view, CancellationToken ct)
    {
        var owner = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<long?>("SELECT owner_id FROM tasks WHERE id = @id", new { id }), ct);
        if (owner != Me.Id) return NotFoundPage();
        var result = (await Tasks.Complete(id, HttpContext, db, clock, ct)).Result;
        if (result is Ok<Tasks.TaskDto> done) Tell($"Done: {done.Value!.Title}");
        else Tell("That task was already done.", error: true);
        return BackToView(view);
    }

    /// <summary>Accepting straight from the list: the most common hand-off decision needs no trip to the lead's page.</summary>
    public async Task<IActionResult> OnPostAcceptAsync([FromForm] long id, [FromForm] string? view, [FromServices] RecordHandoff record, CancellationToken ct)
    {
        if (!HandoffChoices.MayDecide(Me.Role)) return StatusCode(403);
        var recorded = await record.RunAsync(Scope, id, new RecordHandoff.Input(HandoffChoices.Accept, null, null, null), HttpContext, ct);
        if (recorded is null || recorded.Outcome.NotFound) return NotFoundPage();
        if (recorded.Outcome.Succeeded) Tell(RecordHandoff.Done(HandoffChoices.Accept, recorded.LeadName));
        else Tell(string.Join(" ", recorded.Outcome.Errors.Values), error: true);
        return BackToView(view);
    }

    public static string Waited(TimeSpan t) => t.TotalMinutes < 1 ? "just now"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes} min"
        : t.TotalDays < 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
        : $"{(int)t.TotalDays} d {t.Hours} h";

    /// <summary>"first touch due in 42 min", or "decision overdue by 1 h 5 min".</summary>
    public static string Deadline(string? kind, TimeSpan left)
    {
        var what = kind switch { "first_touch" => "first touch", "decision" => "accept or reject", "attempts" => "attempts", _ => kind ?? "SLA" };
        return left >= TimeSpan.Zero ? $"{what} due in {Waited(left)}" : $"{what} overdue by {Waited(-left)}";
    }
}
