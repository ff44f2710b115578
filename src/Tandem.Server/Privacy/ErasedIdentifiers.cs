using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Tandem.Domain.Identity;
using Tandem.Server.People;

namespace Tandem.Server.Privacy;

/// <summary>An identifier an erased person was known by, as a capture names it: the request field it came in.</summary>
internal sealed record ErasedMatch(string Field, DateTimeOffset ErasedAt);

/// <summary>
/// Thrown inside a capture that names an erased person's email or external id without saying it means to add them again.
/// Nothing has been written when it is thrown, so a caller may catch it and go on with its transaction.
/// </summary>
internal sealed class ErasedPersonException(ErasedMatch match)
    : Exception($"{match.Field}: this person was erased on {match.ErasedAt:yyyy-MM-dd}; Tandem does not add them again unless asked to explicitly.")
{
    public ErasedMatch Match { get; } = match;
}

/// <summary>
/// The identifiers of erased people, kept as HMAC-SHA256 hashes under a random key of the workspace's own (in
/// workspace_settings, made at the first erasure). Nobody can read an address back from a hash, nor test a list of
/// addresses against them without the key; the key lives in the database because Tandem must hash every newly captured
/// address to recognise a returning erased person.
/// </summary>
internal static class ErasedIdentifiers
{
    public const string KeySetting = "privacy.erasure_key";

    public static string EmailText(string normalisedEmail) => "email:" + normalisedEmail;

    public static string ExternalText(string source, string id) => $"external:{source}:{id}";

    /// <summary>The first of the capture's identifiers that belongs to an erased person, or null.</summary>
    public static async Task<ErasedMatch?> FindAsync(DbConnection c, DbTransaction tx, EmailAddress? email, IReadOnlyList<ExternalIdDto> externalIds)
    {
        if (email is null && externalIds.Count == 0) return null;
        if (await KeyAsync(c, tx, create: false) is not { } key) return null; // nobody has been erased yet
        var candidates = new List<(string Field, string Hash)>();
        if (email is { } e) candidates.Add(("email", Hash(key, EmailText(e.Value))));
        candidates.AddRange(externalIds.Select(x => ("externalIds", Hash(key, ExternalText(x.Source, x.Id)))));
        foreach (var (field, hash) in candidates)
        {
            var at = await c.QuerySingleOrDefaultAsync<long?>("SELECT erased_at FROM erased_identifiers WHERE hash = @hash", new { hash }, tx);
            if (at is { } ms) return new ErasedMatch(field, DateTimeOffset.FromUnixTimeMilliseconds(ms));
        }
        return null;
    }

    /// <summary>Remembers <paramref name="texts"/> (see <see cref="EmailText"/>, <see cref="ExternalText"/>) as erased at <paramref name="now"/>.</summary>
    public static async Task RememberAsync(DbConnection c, DbTransaction tx, IEnumerable<(string Kind, string Text)> texts, long now)
    {
        var key = (await KeyAsync(c, tx, create: true))!;
        foreach (var (kind, text) in texts.Distinct())
            await c.ExecuteAsync(
                "INSERT INTO erased_identifiers (hash, kind, erased_at) VALUES (@hash, @kind, @now) ON CONFLICT (hash) DO UPDATE SET erased_at = excluded.erased_at",
                new { hash = Hash(key, text), kind, now }, tx);
    }

    /// <summary>Forgets that the identifiers were erased: the person was explicitly added again and is someone live now.</summary>
    public static async Task ForgetAsync(DbConnection c, DbTransaction tx, EmailAddress? email, IReadOnlyList<ExternalIdDto> externalIds)
    {
        if (await KeyAsync(c, tx, create: false) is not { } key) return;
        var hashes = externalIds.Select(x => Hash(key, ExternalText(x.Source, x.Id))).ToList();
        if (email is { } e) hashes.Add(Hash(key, EmailText(e.Value)));
        foreach (var hash in hashes) await c.ExecuteAsync("DELETE FROM erased_identifiers WHERE hash = @hash", new { hash }, tx);
    }

    private static async Task<byte[]?> KeyAsync(DbConnection c, DbTransaction tx, bool create)
    {
        var stored = await c.QuerySingleOrDefaultAsync<string>("SELECT value FROM workspace_settings WHERE key = @KeySetting", new { KeySetting }, tx);
        if (stored is not null) return Convert.FromBase64String(stored);
        if (!create) return null;
        await c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES (@KeySetting, @value) ON CONFLICT (key) DO NOTHING",
            new { KeySetting, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, tx);
        return Convert.FromBase64String(await c.QuerySingleAsync<string>("SELECT value FROM workspace_settings WHERE key = @KeySetting", new { KeySetting }, tx));
    }

    private static string Hash(byte[] key, string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
}
