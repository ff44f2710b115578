using System.Text.RegularExpressions;

namespace Tandem.Domain.Email.Inbound;

/// <summary>
/// Tells a machine's answer from a person's. RFC 3834 says an automatic response carries Auto-Submitted (anything but
/// "no"); many vacation tools use X-Autoreply or X-Autorespond
/// instead, bulk tools Precedence: bulk/junk/auto_reply, and some say it only in the subject ("Out of office: …").
/// </summary>
public static partial class AutoReplies
{
    /// <param name="header">Reads a header by name (case-insensitive), null when absent.</param>
    /// <returns>Why this is an automatic reply, in words, or null for a person's reply.</returns>
    public static string? Reason(Func<string, string?> header, string? subject)
    {
        if (header("Auto-Submitted") is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
            return $"Auto-Submitted: {auto.Trim()}";
        foreach (var name in (string[])["X-Autoreply", "X-Autorespond", "X-Autoresponse"])
            if (header(name) is { } v) return $"{name}: {v.Trim()}";
        if (header("Precedence") is { } p && p.Trim().ToLowerInvariant() is "auto_reply" or "bulk" or "junk")
            return $"Precedence: {p.Trim()}";
        if (subject is not null && OutOfOffice().IsMatch(subject)) return $"the subject \"{subject.Trim()}\"";
        return null;
    }

    [GeneratedRegex(@"^\s*(auto(matic)?[\s:_-]*(reply|response|antwort)|out of (the )?office|ooo\b|abwesenheit|absence|away from (the )?office|on (vacation|holiday|leave)|vacation reply|r[ée]ponse automatique|respuesta autom[aá]tica)",
        RegexOptions.IgnoreCase)]
    private static partial Regex OutOfOffice();
}
