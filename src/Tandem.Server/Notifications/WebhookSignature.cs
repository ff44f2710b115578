using System.Security.Cryptography;
using System.Text;

namespace Tandem.Server.Notifications;

/// <summary>
/// The Tandem-Signature header: "t=UNIX_SECONDS,v1=HEX" where HEX is HMAC-SHA256 over "UNIX_SECONDS.BODY" with the
/// subscription's secret. Signing the timestamp with the body lets a receiver refuse replays of old deliveries.
/// </summary>
internal static class WebhookSignature
{
    public const string Header = "Tandem-Signature";

    public static string Sign(string secret, long unixSeconds, string body) => $"t={unixSeconds},v1={Hex(secret, unixSeconds, body)}";

    /// <summary>What a receiver does: recompute the HMAC, compare in constant time, and check the timestamp is recent.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var seconds) || !parts.TryGetValue("v1", out var given)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Hex(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(given));
    }

    private static string Hex(string secret, long unixSeconds, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}")));
}
