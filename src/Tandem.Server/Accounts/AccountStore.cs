using System.Data.Common;
using Dapper;
using Tandem.Domain.Identity;

namespace Tandem.Server.Accounts;

internal static class AccountStore
{
    /// <summary>
    /// Finds the account for a match, by business domain first and normalized company name second,
    /// creating it when neither exists. A name-matched account without a domain adopts the domain.
    /// </summary>
    public static async Task<long> FindOrCreateAsync(DbConnection c, DbTransaction tx, AccountMatch match, long now)
    {
        if (match.Domain is { } domain)
        {
            var byDomain = await c.QuerySingleOrDefaultAsync<long?>("SELECT id FROM accounts WHERE domain = @domain", new { domain }, tx);
            if (byDomain is { } found) return found;
        }
        if (match.NormalizedName is { } name)
        {
            var byName = await c.QueryFirstOrDefaultAsync<(long Id, string? Domain)?>(
                "SELECT id, domain FROM accounts WHERE normalized_name = @name ORDER BY id LIMIT 1", new { name }, tx);
            if (byName is { } hit && (hit.Domain is null || match.Domain is null || hit.Domain == match.Domain))
            {
                if (hit.Domain is null && match.Domain is not null)
                    await c.ExecuteAsync("UPDATE accounts SET domain = @domain, updated_at = @now WHERE id = @id",
                        new { domain = match.Domain, now, id = hit.Id }, tx);
                return hit.Id;
            }
        }
        var created = await c.QuerySingleOrDefaultAsync<long?>(
            "INSERT INTO accounts (name, domain, normalized_name, created_at, updated_at) VALUES (@DisplayName, @Domain, @NormalizedName, @now, @now) " +
            "ON CONFLICT (domain) DO NOTHING RETURNING id",
            new { match.DisplayName, match.Domain, match.NormalizedName, now }, tx);
        return created ?? await c.QuerySingleAsync<long>("SELECT id FROM accounts WHERE domain = @Domain", new { match.Domain }, tx);
    }
}
