using System.Data.Common;
using Dapper;

namespace Tandem.Server.Email.Consent;

/// <summary>Consent statuses of <c>email_consents</c>.</summary>
internal static class ConsentStatus
{
    public const string OptedIn = "opted_in";
    public const string Pending = "pending";
    public const string OptedOut = "opted_out";

    public static readonly IReadOnlyList<string> All = [OptedIn, Pending, OptedOut];
}

/// <summary>Legal bases for marketing email.</summary>
internal static class ConsentBasis
{
    public const string Consent = "consent";
    public const string LegitimateInterest = "legitimate_interest";
    public const string Contract = "contract";

    public static readonly IReadOnlyList<string> All = [Consent, LegitimateInterest, Contract];
}

/// <summary>Where a consent change came from, and the proof that goes with it.</summary>
internal sealed record ConsentProof(string Source, string? Ip = null, string? UserAgent = null, string? Form = null, string? PageUrl = null)
{
    /// <summary>The proof a public page's request carries: its address and browser.</summary>
    public static ConsentProof From(HttpContext http, string source) =>
        new(source, http.Connection.RemoteIpAddress?.ToString(), Limit(http.Request.Headers.UserAgent.ToString()));

    public static string? Limit(string? s) => string.IsNullOrEmpty(s) ? null : s.Length <= 500 ? s : s[..500];
}

internal sealed class ConsentRow
{
    public long PersonId { get; set; }
    public string Status { get; set; } = "";
    public string Basis { get; set; } = "";
    public string Source { get; set; } = "";
    public string? Form { get; set; }
    public string? PageUrl { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public long? RequestedAt { get; set; }
    public long? ConfirmedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>The current consent per person (<c>email_consents</c>) and its audit log (<c>email_consent_log</c>).</summary>
internal static class ConsentStore
{
    public static Task<ConsentRow?> FindAsync(DbConnection c, DbTransaction? tx, long personId) =>
        c.QuerySingleOrDefaultAsync<ConsentRow>(
            "SELECT person_id, status, basis, source, form, page_url, ip, user_agent, requested_at, confirmed_at, updated_at " +
            "FROM email_consents WHERE person_id = @personId", new { personId }, tx);

    /// <summary>Writes the person's current consent; the proof given replaces the one before (the log keeps every one).</summary>
    public static Task SaveAsync(DbConnection c, DbTransaction tx, long personId, string status, string basis, ConsentProof proof,
        long? requestedAt, long? confirmedAt, long now) =>
        c.ExecuteAsync(
            "INSERT INTO email_consents (person_id, status, basis, source, form, page_url, ip, user_agent, requested_at, confirmed_at, updated_at) " +
            "VALUES (@personId, @status, @basis, @Source, @Form, @PageUrl, @Ip, @UserAgent, @requestedAt, @confirmedAt, @now) " +
            "ON CONFLICT (person_id) DO UPDATE SET status = excluded.status, basis = excluded.basis, source = excluded.source, " +
            "form = excluded.form, page_url = excluded.page_url, ip = excluded.ip, user_agent = excluded.user_agent, " +
            "requested_at = excluded.requested_at, confirmed_at = excluded.confirmed_at, updated_at = excluded.updated_at",
            new { personId, status, basis, proof.Source, proof.Form, proof.PageUrl, proof.Ip, proof.UserAgent, requestedAt, confirmedAt, now }, tx);

    /// <summary>
    /// Records a change in the log. Actions: opted_in, confirm_requested, confirmed, opted_out, topic_opted_out,
    /// topic_opted_in, resubscribed.
    /// </summary>
    public static Task LogAsync(DbConnection c, DbTransaction tx, long personId, string action, ConsentProof proof, long now,
        string? basis = null, string? topic = null, string? detail = null) =>
        c.ExecuteAsync(
            "INSERT INTO email_consent_log (person_id, action, topic, basis, source, ip, user_agent, detail, at) " +
            "VALUES (@personId, @action, @topic, @basis, @Source, @Ip, @UserAgent, @detail, @now)",
            new { personId, action, topic, basis, proof.Source, proof.Ip, proof.UserAgent, detail, now }, tx);
}
