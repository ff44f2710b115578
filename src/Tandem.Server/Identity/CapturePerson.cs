using System.Data.Common;
using Dapper;
using Tandem.Domain.Capture;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Accounts;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Privacy;
using Tandem.Server.Storage;

namespace Tandem.Server.Identity;

/// <summary>What a source says about a person: who they are and what it observed at one instant.</summary>
internal sealed record PersonCapture
{
    public EmailAddress? Email { get; init; }
    public IReadOnlyList<ExternalIdDto> ExternalIds { get; init; } = [];
    /// <summary>Profile fields by name (standard names, or "custom." + name).</summary>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>();
    public bool? DoNotEmail { get; init; }
    public bool? DoNotCall { get; init; }
    public bool? Unsubscribed { get; init; }
    public Attribution? Touch { get; init; }
    public DateTimeOffset ObservedAt { get; init; }
    /// <summary>The stage a new person starts in; ignored for someone already known.</summary>
    public Stage? InitialStage { get; init; }
    /// <summary>When the source first had the person (an import's created-date column); pulls created_at back, never forward.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>Only fields the person has no value for are set: the source is anonymous (a public form) and may add, not overwrite.</summary>
    public bool FillEmptyOnly { get; init; }
    public IReadOnlyCollection<string> Lock { get; init; } = [];
    public IReadOnlyCollection<string> Unlock { get; init; } = [];
    /// <summary>Add a person whose email or external id was erased as someone new (they asked to be added again).</summary>
    public bool AllowErased { get; init; }
}

internal sealed record CaptureOutcome(long PersonId, bool Created, IReadOnlyList<string> Changed);

/// <summary>
/// The one path by which any source (API, tracking, forms, import) creates or updates a person:
/// resolve identity (external id, then email), create if unknown, apply survivorship, attribution,
/// consent and account matching. Runs inside the caller's transaction so the caller's own writes
/// (an activity, a stage move) commit or fail together with it.
/// </summary>
internal sealed class PersonCapturer(LifecycleSettings lifecycle, MoveStage moveStage, PersonEvents events)
{
    public async Task<CaptureOutcome> CaptureAsync(DbConnection c, DbTransaction tx, PersonCapture capture, Actor actor,
        long? knownPersonId = null)
    {
        var now = capture.ObservedAt.ToUnixTimeMilliseconds();
        var email = capture.Email?.Value;

        var personId = knownPersonId;
        foreach (var ext in capture.ExternalIds)
        {
            if (personId is not null) break;
            personId = await PersonStore.FindIdByExternalIdAsync(c, tx, ext.Source, ext.Id);
        }
        if (personId is null && email is not null) personId = await PersonStore.FindIdByEmailAsync(c, tx, email);

        var created = false;
        if (personId is null)
        {
            await RefuseErasedAsync(c, tx, capture, now);
            var stage = capture.InitialStage ?? lifecycle.InitialStage;
            var fresh = new PersonRow { Email = email, Stage = stage.ToString(), StageChangedAt = now, CreatedAt = now, UpdatedAt = now };
            if (email is not null) (personId, created) = await PersonStore.InsertOrGetByEmailAsync(c, tx, fresh);
            else (personId, created) = (await PersonStore.InsertAsync(c, tx, fresh), true);
            if (created)
            {
                fresh.Id = personId.Value;
                await moveStage.EnterFirstStageAsync(c, tx, fresh, actor, now);
            }
        }

        var row = await PersonStore.FindLiveAsync(c, tx, personId.Value, forUpdate: true)
                  ?? throw new InvalidOperationException($"Person {personId} vanished inside its own transaction.");
        if (!created && row.Email is null && email is not null) await RefuseErasedAsync(c, tx, capture, now);
        var changed = await ApplyAsync(c, tx, row, capture, email, now);
        if (capture.CreatedAt is { } since && await PullCreatedBackAsync(c, tx, row.Id, Math.Min(since.ToUnixTimeMilliseconds(), now)) && !created)
            changed.Add("createdAt");
        foreach (var ext in capture.ExternalIds) await PersonStore.LinkExternalIdAsync(c, tx, row.Id, ext.Source, ext.Id, now);
        events.Raise(tx, new ProfileChanged(row.Id, created ? [.. changed, "created"] : changed, actor));
        return new CaptureOutcome(row.Id, created, changed);
    }

    /// <summary>
    /// An erased person comes back only when the caller says so; anything else (an old file, a tracker) would silently
    /// undo the erasure. Called before the capture writes anything, so a caller may catch the refusal and go on.
    /// </summary>
    private static async Task RefuseErasedAsync(DbConnection c, DbTransaction tx, PersonCapture capture, long now)
    {
        if (await ErasedIdentifiers.FindAsync(c, tx, capture.Email, capture.ExternalIds) is not { } erased) return;
        if (!capture.AllowErased) throw new ErasedPersonException(erased);
        await ErasedIdentifiers.ForgetAsync(c, tx, capture.Email, capture.ExternalIds);
        // No tombstone id here: linking the new person to what is left of the erased one would undo the erasure.
        await Audit.AuditLog.WriteAsync(c, tx, now, "person.readded_after_erasure", null, new { field = erased.Field });
    }

    /// <summary>An earlier creation date is news (the source knew the person before Tandem did); a later one is not.</summary>
    private static async Task<bool> PullCreatedBackAsync(DbConnection c, DbTransaction tx, long personId, long at) =>
        await c.ExecuteAsync("UPDATE people SET created_at = @at WHERE id = @personId AND created_at > @at", new { personId, at }, tx) > 0;

    private static async Task<List<string>> ApplyAsync(DbConnection c, DbTransaction tx, PersonRow row, PersonCapture capture,
        string? email, long now)
    {
        var changed = new List<string>();
        // Unlocks apply before the new values and locks after them, so one request can
        // "set this value and lock it" or "unlock and correct it".
        var profile = row.ToProfile();
        var locked = new HashSet<string>(profile.Locked);
        locked.ExceptWith(capture.Unlock);
        var (applied, fieldChanges) = capture.FillEmptyOnly
            ? Survivorship.Fill(profile with { Locked = locked }, capture.Fields, capture.ObservedAt)
            : Survivorship.Apply(profile with { Locked = locked }, capture.Fields, capture.ObservedAt);
        changed.AddRange(fieldChanges);
        locked.UnionWith(capture.Lock);
        if (!locked.SetEquals(profile.Locked)) changed.Add("lockedFields");
        applied = applied with { Locked = locked };
        row.ApplyProfile(applied);

        // Email is identity: it is filled in when missing and never silently taken from another person.
        if (row.Email is null && email is not null && await PersonStore.FindIdByEmailAsync(c, tx, email) is null)
        {
            row.Email = email;
            changed.Add("email");
        }

        // Capture only adds opt-outs: a source saying "false" (a CRM sync, an identify, a form) never lifts one. Lifting
        // is a person's deliberate, audited act (People/LiftOptOut), or the person's own re-subscribe.
        var consent = row.Consent;
        var next = consent.Combine(new Consent(capture.DoNotEmail == true, capture.DoNotCall == true, capture.Unsubscribed == true));
        if (next != consent) { row.SetConsent(next); changed.Add("consent"); }

        if (capture.Touch is { IsEmpty: false } touch)
        {
            var completed = touch.Completed();
            if (row.FirstTouchAt is null || now < row.FirstTouchAt)
            {
                row.FirstTouch = Json.Write(completed); row.FirstTouchChannel = completed.Channel; row.FirstTouchAt = now;
                changed.Add("firstTouch");
            }
            if (row.LastTouchAt is null || now >= row.LastTouchAt)
            {
                row.LastTouch = Json.Write(completed); row.LastTouchChannel = completed.Channel; row.LastTouchAt = now;
                changed.Add("lastTouch");
            }
        }

        if (row.AccountId is null || changed.Contains(PersonFields.Company) || changed.Contains("email"))
        {
            EmailAddress? parsed = EmailAddress.TryParse(row.Email, out var e) ? e : null;
            if (AccountMatch.For(parsed, row.Company) is { } match)
            {
                var accountId = await AccountStore.FindOrCreateAsync(c, tx, match, now);
                if (accountId != row.AccountId) { row.AccountId = accountId; changed.Add("account"); }
            }
        }

        if (changed.Count > 0)
        {
            row.UpdatedAt = Math.Max(row.UpdatedAt, now);
            await PersonStore.UpdateAsync(c, tx, row);
        }
        return changed;
    }
}
