using System.Security.Cryptography;
using System.Text;
using Dapper;
using Tandem.Server.Audit;
using Tandem.Server.Storage;

namespace Tandem.Server.Security;

internal sealed record ApiKeyInfo(long Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// API keys are "tdm_" + an 8-character lookup prefix + "_" + 32 random characters. Only the
/// SHA-256 of the whole key is stored: keys are long random secrets, so a fast hash is enough
/// and a leaked table reveals no usable key.
/// </summary>
internal sealed class ApiKeyStore(Database database, TimeProvider clock)
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<(ApiKeyInfo Info, string Key)> CreateAsync(string name, IReadOnlyList<string> scopes, CancellationToken ct = default)
    {
        var prefix = RandomString(8);
        var key = $"tdm_{prefix}_{RandomString(32)}";
        var now = clock.GetUtcNow();
        var id = await database.WriteAsync(async (c, tx) =>
        {
            var newId = await c.ExecuteScalarAsync<long>(
                "INSERT INTO api_keys (name, prefix, key_hash, scopes, created_at) VALUES (@name, @prefix, @hash, @scopes, @now) RETURNING id",
                new { name, prefix, hash = Hash(key), scopes = string.Join(' ', scopes), now = now.ToUnixTimeMilliseconds() }, tx);
            await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), "key.created", $"key {newId} ({prefix})", new { name, scopes });
            return newId;
        }, ct);
        return (new ApiKeyInfo(id, name, prefix, scopes, now, null, null), key);
    }

    /// <summary>Returns the key's record when <paramref name="key"/> is a live key, else null.</summary>
    public async Task<ApiKeyInfo?> VerifyAsync(string key, CancellationToken ct = default)
    {
        var parts = key.Split('_');
        if (parts.Length != 3 || parts[0] != "tdm" || parts[1].Length != 8) return null;
        var row = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row>(
            "SELECT * FROM api_keys WHERE prefix = @prefix", new { prefix = parts[1] }), ct);
        if (row is null || row.RevokedAt is not null) return null;
        var matches = CryptographicOperations.FixedTimeEquals(
            Convert.FromHexString(row.KeyHash), Convert.FromHexString(Hash(key)));
        return matches ? row.ToInfo() : null;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken ct = default) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>("SELECT * FROM api_keys ORDER BY id"), ct)).Select(r => r.ToInfo()).ToList();

    /// <summary>Revokes by id or prefix; returns false when no live key matched.</summary>
    public async Task<bool> RevokeAsync(string idOrPrefix, CancellationToken ct = default)
    {
        long.TryParse(idOrPrefix, out var id);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await database.WriteAsync(async (c, tx) =>
        {
            var revoked = (await c.QueryAsync<(long Id, string Prefix, string Name)>(
                "UPDATE api_keys SET revoked_at = @now WHERE (id = @id OR prefix = @prefix) AND revoked_at IS NULL RETURNING id, prefix, name",
                new { id, prefix = idOrPrefix, now }, tx)).ToList();
            foreach (var k in revoked) await AuditLog.WriteAsync(c, tx, now, "key.revoked", $"key {k.Id} ({k.Prefix})", new { name = k.Name });
            return revoked.Count > 0;
        }, ct);
    }

    public Task TouchAsync(long id, CancellationToken ct = default) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE api_keys SET last_used_at = @now WHERE id = @id",
            new { id, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx), ct);

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string RandomString(int length) =>
        string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        });

    private sealed class Row
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Prefix { get; set; } = "";
        public string KeyHash { get; set; } = "";
        public string Scopes { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? LastUsedAt { get; set; }
        public long? RevokedAt { get; set; }

        public ApiKeyInfo ToInfo() => new(Id, Name, Prefix, Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            LastUsedAt is { } u ? DateTimeOffset.FromUnixTimeMilliseconds(u) : null,
            RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
    }
}
