using System.Data.Common;
using Dapper;

namespace Tandem.Server.Email;

/// <summary>Why an address gets no more email.</summary>
internal static class SuppressionReasons
{
    public const string Unsubscribed = "unsubscribed";
    public const string HardBounce = "hard_bounce";
    public const string Complaint = "complaint";
}

/// <summary>
/// The list no marketing email goes past, for every program, forever — until the person re-subscribes explicitly
/// (which is recorded). Kept by address, not person, so a second record for the same mailbox is suppressed too.
/// </summary>
internal static class EmailSuppressions
{
    /// <summary>Suppresses an address for a reason; returns false when it already was (the first record stands).</summary>
    public static async Task<bool> SuppressAsync(DbConnection c, DbTransaction tx, string address, string reason, string source, long? personId,
        long? sendId, long now) =>
        await c.ExecuteAsync(
            "INSERT INTO email_suppressions (address, reason, source, person_id, send_id, created_at) " +
            "VALUES (@address, @reason, @source, @personId, @sendId, @now) ON CONFLICT (address, reason) WHERE lifted_at IS NULL DO NOTHING",
            new { address = Normalize(address), reason, source, personId, sendId, now }, tx) > 0;

    /// <summary>The reasons an address is suppressed now (empty when it may be emailed).</summary>
    public static async Task<IReadOnlyList<string>> ReasonsAsync(DbConnection c, DbTransaction? tx, string address) =>
        (await c.QueryAsync<string>("SELECT reason FROM email_suppressions WHERE address = @address AND lifted_at IS NULL ORDER BY id",
            new { address = Normalize(address) }, tx)).ToList();

    public static string Normalize(string address) => address.Trim().ToLowerInvariant();
}
