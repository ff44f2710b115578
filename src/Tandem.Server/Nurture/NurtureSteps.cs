using System.Data.Common;
using Dapper;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Nurture;
using Tandem.Server.Email;
using Tandem.Server.Lifecycle;
using Tandem.Server.Notifications;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

/// <summary>What carrying out a step came to.</summary>
internal abstract record StepOutcome
{
    /// <summary>Done (an email: queued, with its send); go on.</summary>
    public sealed record Done(long? SendId = null) : StepOutcome;

    /// <summary>Not now: the same step again at <see cref="At"/> (the frequency cap).</summary>
    public sealed record Retry(DateTimeOffset At) : StepOutcome;

    /// <summary>The step cannot ever happen for this person: the enrollment ends.</summary>
    public sealed record Exit(string Reason) : StepOutcome;
}

/// <summary>
/// Carries out the steps that act: send an email through <see cref="IEmailQueue"/>, create a task, notify, post a
/// webhook, set a field, change stage, hand to sales. Each first records its step-run row (unique per enrollment and
/// step) and acts only if the row is new, so a step taken up again after a lapsed claim never acts twice.
/// </summary>
internal sealed class NurtureSteps(IServiceProvider services, MoveStage moveStage, PersonEvents events)
{
    /// <summary>The custom field that holds a person's IANA time zone, and the workspace setting that is the fallback.</summary>
    public const string ZoneField = "timeZone";
    public const string WorkspaceZoneSetting = "workspace.time_zone";

    public async Task<StepOutcome> RunAsync(DbConnection c, DbTransaction tx, EnrollmentRow e, ProgramRow program, PersonRow person, ProgramStep step,
        EnrollmentFacts facts, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        if (step is EmailStep email) return await EmailAsync(c, tx, e, email, at);
        if (!await RecordAsync(c, tx, e, step.Key, "done", null, null, at)) return new StepOutcome.Done(); // ran before: never twice
        var actor = Actor.Rule($"nurture:{program.Id}", $"Program {program.Name}");
        switch (step)
        {
            case TaskStep t:
                await c.ExecuteAsync(
                    "INSERT INTO tasks (person_id, owner_id, title, due_at, created_from, created_at) VALUES (@PersonId, @OwnerId, @title, @due, @from, @at)",
                    new { e.PersonId, person.OwnerId, title = MergeText.Apply(t.Title, facts.Fields), due = at + t.DueInHours * 3_600_000L,
                        from = $"nurture:{program.Id}:{step.Key}", at }, tx);
                break;
            case NotifyStep n:
                var to = n.To == NotifyTarget.Owner ? person.OwnerId
                    : person.OwnerTeamId is { } team ? await c.QuerySingleOrDefaultAsync<long?>("SELECT manager_user_id FROM teams WHERE id = @team", new { team }, tx)
                    : null;
                if (to is null) { await NoteAsync(c, tx, e, step.Key, "skipped", $"nobody to notify: the lead has no {n.To.ToString().ToLowerInvariant()}"); break; }
                await Outbox.AddAsync(c, tx, "nurture.notify", e.PersonId, to, Payload(e, program, person, step, MergeText.Apply(n.Message, facts.Fields)), at);
                break;
            case WebhookStep w:
                // Straight to the step's URL through the outbox's delivery log (retries, attempts, signature when the URL is a subscription's).
                var notification = await Outbox.AddAsync(c, tx, "nurture.webhook", e.PersonId, null, Payload(e, program, person, step, null), at);
                await c.ExecuteAsync("UPDATE notifications SET processed_at = @at WHERE id = @notification", new { at, notification }, tx);
                var subscription = await c.QueryFirstOrDefaultAsync<long?>(
                    "SELECT id FROM webhook_subscriptions WHERE url = @url AND deleted_at IS NULL ORDER BY id", new { url = w.Url.ToString() }, tx);
                await c.ExecuteAsync(
                    "INSERT INTO notification_deliveries (notification_id, channel, subscription_id, recipient, status, attempts, next_attempt_at, created_at) " +
                    "VALUES (@notification, 'webhook', @subscription, @url, 'pending', 0, @at, @at)", new { notification, subscription, url = w.Url.ToString(), at }, tx);
                break;
            case SetFieldStep s:
                await SetFieldAsync(c, tx, person, s.Field, s.Value, now);
                break;
            case ChangeStageStep cs:
                await MoveAsync(c, tx, e, person, step.Key, new StageMove(cs.Stage, actor, at, cs.ReasonCode, $"Program {program.Name}, step {step.Key}"));
                break;
            case HandToSalesStep:
                await MoveAsync(c, tx, e, person, step.Key, new StageMove(Stage.MQL, actor, at, null, $"Handed to sales by program {program.Name}"));
                break;
        }
        return new StepOutcome.Done();
    }

    /// <summary>
    /// Queues the email in this transaction. A hold that passes (the frequency cap, a workspace not set up for email)
    /// tries the same step again at the time the queue names; a person who can never get this email (suppressed, no consent, no address) leaves the program, since every
    /// later step of a nurture program assumes the emails before it went out.
    /// </summary>
    private async Task<StepOutcome> EmailAsync(DbConnection c, DbTransaction tx, EnrollmentRow e, EmailStep step, long at)
    {
        var queue = services.GetService<IEmailQueue>()
            ?? throw new InvalidOperationException("No email queue is registered; the Email module (AddEmail) provides it.");
        var result = await queue.QueueAsync(c, tx, new EmailRequest(e.PersonId, step.TemplateId, EmailKind.Marketing, e.ProgramId, e.Id, step.Key), at);
        if (result.Queued)
        {
            await RecordAsync(c, tx, e, step.Key, "sent", null, result.SendId, at);
            return new StepOutcome.Done(result.SendId);
        }
        if (result.Hold is not (EmailHold.Suppressed or EmailHold.NoConsent or EmailHold.NoAddress))
            // The frequency cap, or a hold that passes (the workspace not set up for email yet): the same step, later.
            return new StepOutcome.Retry(DateTimeOffset.FromUnixTimeMilliseconds(result.RetryAt ?? at + 3_600_000));
        await RecordAsync(c, tx, e, step.Key, "held", result.Reason ?? result.Hold.ToString(), null, at);
        return new StepOutcome.Exit(result.Hold switch
        {
            EmailHold.NoConsent => ExitReasons.NoConsent,
            EmailHold.NoAddress => ExitReasons.NoAddress,
            _ => ExitReasons.Suppressed,
        });
    }

    private async Task MoveAsync(DbConnection c, DbTransaction tx, EnrollmentRow e, PersonRow person, string stepKey, StageMove move)
    {
        var decision = await moveStage.MoveAsync(c, tx, person, move);
        if (!decision.IsAllowed) await NoteAsync(c, tx, e, stepKey, "refused", decision.Reason ?? $"{decision.Field}: not allowed");
    }

    private async Task SetFieldAsync(DbConnection c, DbTransaction tx, PersonRow person, string field, string? value, DateTimeOffset now)
    {
        var profile = person.ToProfile();
        var fields = profile.Fields.ToDictionary(f => f.Key, f => f.Value);
        fields[field] = new FieldValue(value, now);
        person.ApplyProfile(new Profile(fields, profile.Locked));
        person.UpdatedAt = Math.Max(person.UpdatedAt, now.ToUnixTimeMilliseconds());
        await PersonStore.UpdateAsync(c, tx, person);
        events.Raise(tx, new ProfileChanged(person.Id, [field], Actor.System("nurture")));
    }

    /// <summary>Records that a step ran; false when it had already been recorded (the step must not act again).</summary>
    public static async Task<bool> RecordAsync(DbConnection c, DbTransaction tx, EnrollmentRow e, string stepKey, string outcome, string? detail, long? sendId,
        long at) =>
        await c.ExecuteAsync(
            "INSERT INTO nurture_step_runs (enrollment_id, program_id, step_key, attempt, outcome, detail, send_id, at) " +
            "VALUES (@Id, @ProgramId, @stepKey, 1, @outcome, @detail, @sendId, @at) ON CONFLICT (enrollment_id, step_key, attempt) DO NOTHING",
            new { e.Id, e.ProgramId, stepKey, outcome, detail, sendId, at }, tx) > 0;

    private static Task NoteAsync(DbConnection c, DbTransaction tx, EnrollmentRow e, string stepKey, string outcome, string detail) =>
        c.ExecuteAsync("UPDATE nurture_step_runs SET outcome = @outcome, detail = @detail WHERE enrollment_id = @Id AND step_key = @stepKey AND attempt = 1",
            new { e.Id, stepKey, outcome, detail }, tx);

    private static object Payload(EnrollmentRow e, ProgramRow program, PersonRow person, ProgramStep step, string? message) => new
    {
        program = new { id = program.Id, name = program.Name, kind = program.Kind }, enrollmentId = e.Id, step = step.Key, message,
        person = new { id = person.Id, email = person.Email, firstName = person.FirstName, lastName = person.LastName, company = person.Company,
            stage = person.Stage, ownerId = person.OwnerId },
    };

    /// <summary>The fields a branch or a merge field reads: standard ones, email, stage, and custom.NAME.</summary>
    public static IReadOnlyDictionary<string, string?> FieldsOf(PersonRow person)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { ["email"] = person.Email, ["stage"] = person.Stage };
        foreach (var f in PersonFields.Standard) fields[f] = person.GetStandard(f);
        foreach (var (name, value) in person.Custom) fields[PersonFields.Custom(name)] = value;
        return fields;
    }

    /// <summary>The person's zone (custom field timeZone), else the workspace's (setting workspace.time_zone), else UTC.</summary>
    public static async Task<TimeZoneInfo> ZoneOfAsync(DbConnection c, DbTransaction tx, PersonRow person)
    {
        if (person.Custom.TryGetValue(ZoneField, out var own) && Zones.TryFind(own, out var zone)) return zone;
        var workspace = await c.QuerySingleOrDefaultAsync<string>("SELECT value FROM workspace_settings WHERE key = @WorkspaceZoneSetting",
            new { WorkspaceZoneSetting }, tx);
        return Zones.FindOrUtc(workspace);
    }
}
