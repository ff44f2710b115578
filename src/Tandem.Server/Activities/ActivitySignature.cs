using System.Data.Common;
using Dapper;

namespace Tandem.Server.Activities;

/// <summary>
/// A 64-bit fingerprint of what an activity is (type, channel, campaign and properties) — not when or whose.
/// Scoring rules only look at those, so a model is evaluated once per distinct signature, which is what
/// lets a whole database be re-scored in seconds.
/// </summary>
internal static class ActivitySignature
{
    public static long Of(string type, string? channel, long? campaignId, string properties)
    {
        // FNV-1a over the parts, with separators so ("ab","c") and ("a","bc") differ.
        var hash = 14695981039346656037UL;
        void Mix(ReadOnlySpan<char> text)
        {
            foreach (var ch in text) { hash ^= ch; hash *= 1099511628211UL; }
            hash ^= 0x1F; hash *= 1099511628211UL;
        }
        Mix(type);
        Mix(channel ?? "");
        Mix(campaignId?.ToString() ?? "");
        Mix(properties);
        return unchecked((long)hash);
    }

    public const string RememberSql =
        "INSERT INTO activity_signatures (signature, type, channel, campaign_id, properties) " +
        "VALUES (@Signature, @Type, @Channel, @CampaignId, @Properties) ON CONFLICT (signature) DO NOTHING";

    /// <summary>Stores the signature's description (once; later calls are no-ops) in the caller's transaction.</summary>
    public static Task RememberAsync(DbConnection c, DbTransaction tx, long signature, NewActivity a) =>
        c.ExecuteAsync(RememberSql, new { Signature = signature, a.Type, a.Channel, a.CampaignId, a.Properties }, tx);
}
