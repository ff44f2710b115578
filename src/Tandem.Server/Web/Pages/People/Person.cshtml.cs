using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Activities;
using Tandem.Server.Handoff;
using Tandem.Server.Identity;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.People;

namespace Tandem.Server.Web.Pages.People;

/// <summary>One lead: profile and account, owner, scores, stage history and timeline, and the day's actions on it.</summary>
internal sealed class PersonModel(Database db, LifecycleSettings lifecycle, ReasonCatalog reasons, PersonScorer scorer, TimeProvider clock) : TandemPageModel
{
    public sealed record AccountInfo(long Id, string Name, string? Domain, string? Industry, long People);

    [FromRoute] public long Id { get; set; }
    public PersonRow Person { get; private set; } = null!;
    public AccountInfo? Account { get; private set; }
    public string? OwnerName { get; private set; }
    public string? TeamName { get; private set; }
    public IReadOnlyList<StageChangeDto> History { get; private set; } = [];
    public IReadOnlyList<ActivityRow> Timeline { get; private set; } = [];
    public long TimelineTotal { get; private set; }

    /// <summary>The latest 100 entries by default; "all" shows up to 2,000 (an engaged lead can have thousands of page views).</summary>
    [BindProperty(SupportsGet = true, Name = "timeline")] public string? TimelineLength { get; set; }
    public const int ShortTimeline = 100, LongTimeline = 2000;
    public IReadOnlyList<UserRow> AssignableOwners { get; private set; } = [];

    /// <summary>The service-level clocks running on the lead's current assignment, soonest due first.</summary>
    public IReadOnlyList<SlaClockLine> Clocks { get; private set; } = [];

    public DateTimeOffset Now => clock.GetUtcNow();

    public sealed record SlaClockLine(string Kind, long DueAt, long? BreachedAt, long Attempts, long? AttemptsRequired, string? AttemptsReasons);

    /// <summary>The giving-up reasons that would record a missed attempts promise now; empty when none would.</summary>
    public IReadOnlyList<string> BreachingReasons => Clocks.FirstOrDefault(k => k.Kind == "attempts" && k.BreachedAt is null && k.Attempts < (k.AttemptsRequired ?? 0))
        is { } open ? Json.Read(open.AttemptsReasons ?? "[]", new List<string>()) : [];

    /// <summary>Said on the reject and stage forms before they are sent, e.g. "1 of 4 attempts made: …".</summary>
    public string? AttemptsWarning => BreachingReasons.Count == 0 ? null
        : Clocks.First(k => k.Kind == "attempts" && k.BreachedAt is null) is var k
            ? $"{k.Attempts} of {k.AttemptsRequired} attempts made: giving this lead up now as {string.Join(" or ", BreachingReasons.Select(r => Tandem.Domain.Lifecycle.ReasonCodes.Label(r)))} records a missed attempts promise."
            : null;
    /// <summary>For an MQL that does not meet the definition now: when it qualified and what moved since.</summary>
    public string? MqlStanding { get; private set; }

    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public LifecycleSettings Lifecycle => lifecycle;

    /// <summary>The hand-off decisions and sales outcomes this user may record for the lead in its current stage.</summary>
    public IReadOnlyList<string> HandoffActions => HandoffChoices.For(Person.ParsedStage, Me.Role);

    /// <summary>
    /// The viewer owns this MQL and has to accept or reject it: on a narrow screen, where the two columns stack, the
    /// hand-off card then comes first instead of below the profile and scores.
    /// </summary>
    public bool DecideFirst => Person.OwnerId == Me.Id && HandoffActions.Contains(HandoffChoices.Accept);

    /// <summary>The stages this person may move to from where they are, less sales' decisions when marketing is looking.</summary>
    public IEnumerable<Tandem.Domain.Lifecycle.Stage> StageChoices => Tandem.Domain.Lifecycle.LifecycleTransitions.AllowedTargets(Person.ParsedStage)
        .Where(s => Me.Role != Roles.Marketing || !ChangeStages.SalesStages.Contains(s));
    public IReadOnlyList<RejectReason> RejectReasons => reasons.Current.Reject;
    public IReadOnlyList<string> LostReasons => reasons.Current.Lost;

    /// <summary>What sales recorded about the lead (accepted, rejected, amounts), oldest first.</summary>
    public IReadOnlyList<DispositionDto> Decisions { get; private set; } = [];

    public string DisplayName => $"{Person.FirstName} {Person.LastName}".Trim() is { Length: > 0 } n ? n : Person.Email ?? $"Person {Person.Id}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFoundPage();
        // A merged-away id shows the survivor under its own address.
        return Person.Id != Id ? Redirect($"/people/{Person.Id}") : Page();
    }

    public async Task<IActionResult> OnPostLogAsync([FromForm] LogSalesActivity.Input input, [FromServices] LogSalesActivity log, CancellationToken ct)
    {
        var errors = await log.RunAsync(Scope, Id, input, Actor, ct);
        if (errors is null) return NotFoundPage();
        if (errors.Count > 0) return await ShowErrorsAsync(errors, ct);
        Tell($"Logged the {input.Type}.");
        return Redirect($"/people/{Id}");
    }

    public async Task<IActionResult> OnPostStageAsync([FromForm] ChangeStages.Input input, [FromServices] ChangeStages change, CancellationToken ct)
    {
        var outcome = await change.RunAsync(Scope, [Id], input, Actor, ct);
        if (outcome.Refused is [{ Field: "ids" }]) return NotFoundPage();
        if (outcome.Refused.Count > 0)
            return await ShowErrorsAsync(outcome.Refused.ToDictionary(r => r.Field == "reasonCode" ? "ReasonCode" : r.Field, r => r.Reason), ct);
        Tell($"Moved to {input.Stage}.");
        return Redirect($"/people/{Id}");
    }

    public async Task<IActionResult> OnPostHandoffAsync([FromForm] RecordHandoff.Input input, [FromServices] RecordHandoff record, CancellationToken ct)
    {
        if (!HandoffChoices.MayDecide(Me.Role)) return StatusCode(403);
        var recorded = await record.RunAsync(Scope, Id, input, HttpContext, ct);
        if (recorded is null || recorded.Outcome.NotFound) return NotFoundPage();
        if (!recorded.Outcome.Succeeded)
            return await ShowErrorsAsync(recorded.Outcome.Errors.ToDictionary(e => "Handoff." + (e.Key.Length == 0 ? "action" : e.Key), e => e.Value), ct);
        Tell(RecordHandoff.Done(input.Action!.Trim().ToLowerInvariant(), recorded.LeadName));
        return Redirect($"/people/{Id}");
    }

    public async Task<IActionResult> OnPostAssignAsync([FromForm] long ownerId, [FromServices] AssignOwner assign, CancellationToken ct)
    {
        if (!Scope.CanAssign) return StatusCode(403);
        var (_, error) = await assign.RunAsync(Scope, [Id], ownerId, Actor, ct);
        if (error is not null) return await ShowErrorsAsync(new Dictionary<string, string> { ["OwnerId"] = error }, ct);
        Tell("Owner changed.");
        return Redirect($"/people/{Id}");
    }

    /// <summary>Marketing and admins may lift a do-not-email or do-not-call; sales may not.</summary>
    public bool MayLiftOptOuts => Me.Role is Roles.Marketing or Roles.Admin;

    public async Task<IActionResult> OnPostLiftOptOutAsync([FromForm] string? optOut, [FromForm] string? reason, [FromServices] LiftOptOut lift,
        CancellationToken ct)
    {
        if (!MayLiftOptOuts) return StatusCode(403);
        if (await db.ReadAsync(c => Scope.FindAsync(c, null, Id), ct) is null) return NotFoundPage();
        var request = new LiftOptOut.Request(optOut, reason);
        var problems = LiftOptOut.Check(request);
        if (!problems.IsValid) return await ShowErrorsAsync(problems.Errors.ToDictionary(e => "Lift." + e.Key, e => string.Join(" ", e.Value)), ct);
        if (await lift.RunAsync(Id, request, Actor, ct) == LiftOptOut.Outcome.NotFound) return NotFoundPage();
        Tell(optOut == LiftOptOut.DoNotCall ? "Do not call is lifted." : "Do not email is lifted.");
        return Redirect($"/people/{Id}");
    }

    private async Task<IActionResult> ShowErrorsAsync(IReadOnlyDictionary<string, string> errors, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFoundPage();
        Errors = errors;
        Response.StatusCode = 422;
        return Page();
    }

    /// <summary>Programs, emails and consent with its proof.</summary>
    public Web.Nurture.PersonEmail.Card? Email { get; private set; }

    /// <summary>Why the person has their score, under the active model; null when nothing scores them.</summary>
    public Web.Scoring.ScoreExplanation.Explanation? ScoreExplanation { get; private set; }

    private async Task<bool> LoadAsync(CancellationToken ct) => await db.ReadAsync(async c =>
    {
        var person = await Scope.FindAsync(c, null, Id);
        if (person is null) return false;
        Person = person;
        if (person.AccountId is { } aid)
            Account = await c.QuerySingleOrDefaultAsync<AccountInfo>(
                "SELECT a.id, a.name, a.domain, a.industry, (SELECT COUNT(*) FROM people p WHERE p.account_id = a.id AND p.merged_into_id IS NULL) AS people " +
                "FROM accounts a WHERE a.id = @aid", new { aid });
        if (person.OwnerId is { } oid) OwnerName = (await UserStore.FindAsync(c, null, oid))?.Name;
        if (person.OwnerTeamId is { } tid) TeamName = await c.QuerySingleOrDefaultAsync<string>("SELECT name FROM teams WHERE id = @tid", new { tid });
        History = await StageHistory.ReadAsync(c, null, person.Id);
        ScoreExplanation = await Web.Scoring.ScoreExplanation.LoadAsync(c, scorer, person.Id);
        if (person.Stage == "MQL" && person.MeetsMql == 0)
            MqlStanding = Web.Scoring.MqlStanding.Describe(Web.Scoring.MqlStanding.NowOf(person),
                (await Web.Scoring.MqlStanding.LoadAsync(c, [person.Id])).GetValueOrDefault(person.Id));
        Timeline = (await c.QueryAsync<ActivityRow>(
            "SELECT * FROM activities WHERE person_id = @id ORDER BY occurred_at DESC, id DESC LIMIT @take",
            new { id = person.Id, take = TimelineLength == "all" ? LongTimeline : ShortTimeline })).ToList();
        TimelineTotal = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM activities WHERE person_id = @id", new { id = person.Id });
        AssignableOwners = await Scope.AssignableOwnersAsync(c, null);
        Decisions = await Dispositions.ForPersonAsync(c, null, person.Id);
        Email = await Web.Nurture.PersonEmail.LoadAsync(c, person.Id, person.Email);
        Clocks = (await c.QueryAsync<SlaClockLine>(
            "SELECT k.kind, k.due_at AS DueAt, k.breached_at AS BreachedAt, k.attempts, k.attempts_required AS AttemptsRequired, p.attempts_reasons AS AttemptsReasons " +
            "FROM sla_clocks k JOIN sla_policies p ON p.id = k.policy_id " +
            "WHERE k.person_id = @id AND k.stopped_at IS NULL AND k.released_at IS NULL ORDER BY k.due_at, k.id", new { id = person.Id })).ToList();
        return true;
    }, ct);
}
