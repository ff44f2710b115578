using System.Text.RegularExpressions;

namespace Tandem.Domain.Email.Inbound;

/// <summary>What a delivery report says became of one recipient.</summary>
public enum DeliveryOutcome { Delivered, Delayed, HardBounce, SoftBounce, Unknown }

/// <summary>
/// Reads an RFC 3464 per-recipient Action and RFC 3463 Status ("5.1.1"). The class digit decides: 5 is permanent (the
/// address is gone or refuses us for good), 4 is transient (mailbox full, greylisted, try later). An Action of
/// "delayed" is a soft bounce whatever its status, since the message is still being tried.
/// </summary>
public static partial class DeliveryStatus
{
    public static DeliveryOutcome Classify(string? action, string? status)
    {
        var a = action?.Trim().ToLowerInvariant();
        if (a is "delivered" or "relayed" or "expanded") return DeliveryOutcome.Delivered;
        if (a == "delayed") return DeliveryOutcome.Delayed;
        var code = StatusCode(status);
        if (code?[0] == '5') return DeliveryOutcome.HardBounce;
        if (code?[0] == '4') return DeliveryOutcome.SoftBounce;
        // A failure with no readable status is still a failure to deliver; without the permanent class we do not
        // suppress the address on it.
        return a == "failed" ? DeliveryOutcome.SoftBounce : DeliveryOutcome.Unknown;
    }

    /// <summary>The first "X.Y.Z" enhanced status code in a text ("smtp; 550 5.1.1 user unknown" → "5.1.1"), or null.</summary>
    public static string? StatusCode(string? text) => text is null ? null : Code().Match(text) is { Success: true } m ? m.Value : null;

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex Code();
}
