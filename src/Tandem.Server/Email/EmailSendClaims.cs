using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Email;

/// <summary>A send claimed by this server, with everything needed to hand it to SMTP.</summary>
internal sealed class ClaimedSend
{
    public long Id { get; set; }
    public long PersonId { get; set; }
    public long? TemplateId { get; set; }
    public string Kind { get; set; } = "";
    public long? ProgramId { get; set; }
    public long? EnrollmentId { get; set; }
    public string? StepKey { get; set; }
    public string ToAddress { get; set; } = "";
    public string FromAddress { get; set; } = "";
    public string? ReplyTo { get; set; }
    public string Subject { get; set; } = "";
    public string TextBody { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    public string MessageId { get; set; } = "";
    public int Attempts { get; set; }

    public bool IsMarketing => Kind == EmailKinds.Marketing;
}

/// <summary>
/// Claims due sends and records what became of them. A claim sets the status to 'sending' and commits before the SMTP
/// hand-over: a server that dies after handing an email over but before recording it leaves the row 'sending', and
/// when the lease runs out the row becomes 'unknown' — never queued again, since it may well have arrived.
/// </summary>
internal static class EmailSendClaims
{
    private const string Columns =
        "id, person_id, template_id, kind, program_id, enrollment_id, step_key, to_address, from_address, reply_to, subject, text_body, html_body, " +
        "message_id, attempts";

    public static async Task<IReadOnlyList<ClaimedSend>> ClaimAsync(DbConnection c, DbTransaction tx, string me, long now, long leaseUntil, int batch)
    {
        var ids = (await c.QueryAsync<long>(
            "SELECT id FROM email_sends WHERE status = 'queued' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @batch" +
            SqlDialect.Of(c).ForUpdateSkipLocked(), new { now, batch }, tx)).ToArray();
        if (ids.Length == 0) return [];
        await c.ExecuteAsync(
            $"UPDATE email_sends SET status = 'sending', claimed_by = @me, claimed_until = @leaseUntil, attempts = attempts + 1 WHERE {Sql.In(c, "id", "@ids")}",
            new { me, leaseUntil, ids }, tx);
        return (await c.QueryAsync<ClaimedSend>($"SELECT {Columns} FROM email_sends WHERE {Sql.In(c, "id", "@ids")} ORDER BY id", new { ids }, tx)).ToList();
    }

    /// <summary>
    /// Marks sends whose claim ran out while 'sending' as 'unknown', and returns them. Their claimant keeps its name on
    /// them, so a server that was only slow can still record the delivery it did make.
    /// </summary>
    public static async Task<IReadOnlyList<(long Id, string? ClaimedBy)>> ExpireAsync(DbConnection c, DbTransaction tx, long now)
    {
        var expired = (await c.QueryAsync<(long Id, string? ClaimedBy, long ClaimedUntil)>(
            "SELECT id, claimed_by, claimed_until FROM email_sends WHERE status = 'sending' AND claimed_until < @now ORDER BY id LIMIT 1000" +
            SqlDialect.Of(c).ForUpdateSkipLocked(), new { now }, tx)).ToList();
        foreach (var (id, by, until) in expired)
        {
            var error = $"Unknown outcome: {by} claimed this email until {DateTimeOffset.FromUnixTimeMilliseconds(until):u} and stopped before " +
                        "recording whether the SMTP server took it. It may have been delivered, so it is not sent again.";
            await c.ExecuteAsync("UPDATE email_sends SET status = 'unknown', last_error = @error WHERE id = @id AND status = 'sending'", new { id, error }, tx);
        }
        return expired.Select(e => (e.Id, e.ClaimedBy)).ToList();
    }

    /// <summary>Records the hand-over; only the claimant may (also after its lease ran out, since it knows the outcome).</summary>
    public static async Task<bool> MarkSentAsync(DbConnection c, DbTransaction tx, long id, string me, long at) =>
        await c.ExecuteAsync(
            "UPDATE email_sends SET status = 'sent', sent_at = @at, claimed_until = NULL, last_error = NULL " +
            "WHERE id = @id AND claimed_by = @me AND status IN ('sending', 'unknown')", new { id, me, at }, tx) > 0;

    public static async Task<bool> MarkFailedAsync(DbConnection c, DbTransaction tx, long id, string me, long at, string error, bool hardBounce) =>
        await c.ExecuteAsync(
            "UPDATE email_sends SET status = 'failed', claimed_until = NULL, last_error = @error, bounced_at = @bouncedAt, bounce_kind = @bounceKind " +
            "WHERE id = @id AND claimed_by = @me AND status IN ('sending', 'unknown')",
            new { id, me, error, bouncedAt = hardBounce ? at : (long?)null, bounceKind = hardBounce ? "hard" : null }, tx) > 0;

    /// <summary>A temporary failure: queued again for <paramref name="retryAt"/>, or failed for good after the last attempt.</summary>
    public static Task RetryOrFailAsync(DbConnection c, DbTransaction tx, long id, string me, bool giveUp, long retryAt, string error) =>
        c.ExecuteAsync(
            "UPDATE email_sends SET status = @status, next_attempt_at = @retryAt, claimed_by = NULL, claimed_until = NULL, last_error = @error " +
            "WHERE id = @id AND claimed_by = @me AND status = 'sending'", new { id, me, status = giveUp ? "failed" : "queued", retryAt, error }, tx);

    /// <summary>Hands a claimed send back untried (a rate limit), without counting the attempt.</summary>
    public static Task ReleaseAsync(DbConnection c, DbTransaction tx, long id, string me, long retryAt) =>
        c.ExecuteAsync(
            "UPDATE email_sends SET status = 'queued', next_attempt_at = @retryAt, attempts = attempts - 1, claimed_by = NULL, claimed_until = NULL " +
            "WHERE id = @id AND claimed_by = @me AND status = 'sending'", new { id, me, retryAt }, tx);
}
