using System.Data.Common;
using Dapper;
using Tandem.Domain.Capture;

namespace Tandem.Server.Campaigns;

internal static class CampaignStore
{
    /// <summary>
    /// The campaign a utm_campaign value names, created on first sight so that every tagged link
    /// is attributable even before marketing registers the campaign.
    /// </summary>
    public static async Task<long> ResolveAsync(DbConnection c, DbTransaction tx, string utmCampaign, string? channel, long now)
    {
        var key = utmCampaign.Trim().ToLowerInvariant();
        var id = await c.QuerySingleOrDefaultAsync<long?>("SELECT id FROM campaigns WHERE utm_campaign = @key", new { key }, tx);
        if (id is { } found) return found;
        return await c.QuerySingleOrDefaultAsync<long?>(
                   "INSERT INTO campaigns (name, channel, utm_campaign, created_at) VALUES (@name, @channel, @key, @now) " +
                   "ON CONFLICT (utm_campaign) DO NOTHING RETURNING id",
                   new { name = utmCampaign.Trim(), channel = channel ?? Channels.Other, key, now }, tx)
               ?? await c.QuerySingleAsync<long>("SELECT id FROM campaigns WHERE utm_campaign = @key", new { key }, tx);
    }
}
