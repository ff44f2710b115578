using System.Text.RegularExpressions;

namespace Tandem.Server.Hosting;

/// <summary>
/// Text from elsewhere (an SMTP server's reply, an HTTP error) made fit for the log: email addresses and URLs are
/// replaced, because a log is read and kept by people who may not see the leads, and a webhook's URL is its secret.
/// The delivery logs in the database keep the full text for those who may read it.
/// </summary>
internal static partial class LogText
{
    public static string? Redact(string? text) =>
        text is null ? null : Email().Replace(Url().Replace(text, "[url]"), "[email]");

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s""'<>()]+")]
    private static partial Regex Url();

    [GeneratedRegex(@"[^\s@<>()\[\]""',;:]+@[^\s@<>()\[\]""',;:]+\.[^\s@<>()\[\]""',;:]+")]
    private static partial Regex Email();
}
