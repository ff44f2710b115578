using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Users;

/// <summary>
/// A user's email signature: what templates reach as <c>{{owner.signature}}</c> on the leads they own. Plain text kept
/// line by line (the renderer escapes it), so a signature cannot inject a link or markup into a marketing email.
/// </summary>
internal static class SetEmailSignature
{
    public const int MaxLength = 1000;
    public const int MaxLines = 12;

    /// <summary>The signature to store (null when blank) or the reason it is refused.</summary>
    public static (string? Value, string? Error) Check(string? text)
    {
        var value = text?.Replace("\r\n", "\n").Trim('\n', ' ', '\t');
        if (string.IsNullOrEmpty(value)) return (null, null);
        if (value.Length > MaxLength) return (null, $"Keep the signature to {MaxLength} characters; it has {value.Length}.");
        if (value.Split('\n').Length > MaxLines) return (null, $"Keep the signature to {MaxLines} lines.");
        return (value, null);
    }

    public static Task<string?> ReadAsync(Database db, long userId, CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT email_signature FROM users WHERE id = @userId", new { userId }), ct);

    /// <summary>Writes only the signature, so it never races a role change or a sign-in's write of the same row.</summary>
    public static Task WriteAsync(Database db, long userId, string? signature, long now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE users SET email_signature = @signature, updated_at = @now WHERE id = @userId",
            new { signature, now, userId }, tx), ct);
}
