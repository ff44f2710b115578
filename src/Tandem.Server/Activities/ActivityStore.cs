using System.Data.Common;
using Dapper;

namespace Tandem.Server.Activities;

/// <summary>An activity about to be appended. Activities are never updated, only re-attributed on identify or merge.</summary>
internal sealed record NewActivity(
    long? PersonId,
    string? AnonymousId,
    string Type,
    long OccurredAt,
    long ReceivedAt,
    string Source,
    string Properties = "{}",
    string? MessageId = null,
    string? Channel = null,
    long? CampaignId = null)
{
    /// <summary>What kind of activity this is, as a fingerprint (it does not depend on whose or when it is).</summary>
    public long Signature => ActivitySignature.Of(Type, Channel, CampaignId, Properties);
}

internal static class ActivitySources
{
    public const string Api = "api";
    public const string Tracking = "tracking";
    public const string Form = "form";
    public const string Import = "import";
    public const string System = "system";
}

internal static class ActivityStore
{
    public const string InsertSql =
        "INSERT INTO activities (person_id, anonymous_id, type, occurred_at, received_at, message_id, source, channel, campaign_id, properties, signature) " +
        "VALUES (@PersonId, @AnonymousId, @Type, @OccurredAt, @ReceivedAt, @MessageId, @Source, @Channel, @CampaignId, @Properties, @Signature)";

    /// <summary>Appends an activity; returns null when its message id was already stored (a retried delivery).</summary>
    public static async Task<long?> AppendAsync(DbConnection c, DbTransaction tx, NewActivity activity)
    {
        var signature = activity.Signature;
        await ActivitySignature.RememberAsync(c, tx, signature, activity);
        return await c.QuerySingleOrDefaultAsync<long?>(InsertSql + " ON CONFLICT (message_id) DO NOTHING RETURNING id",
            new
            {
                activity.PersonId, activity.AnonymousId, activity.Type, activity.OccurredAt, activity.ReceivedAt, activity.MessageId,
                activity.Source, activity.Channel, activity.CampaignId, activity.Properties, Signature = signature,
            }, tx);
    }

    /// <summary>Gives an anonymous visitor's earlier activity to the person they turned out to be.</summary>
    public static Task<int> AdoptAnonymousAsync(DbConnection c, DbTransaction tx, string anonymousId, long personId) =>
        c.ExecuteAsync("UPDATE activities SET person_id = @personId WHERE anonymous_id = @anonymousId AND person_id IS NULL",
            new { anonymousId, personId }, tx);
}
