using System.Text.RegularExpressions;

namespace Tandem.Domain.Email.Inbound;

/// <summary>
/// The new words of a reply without the history it quotes: text up to the first quoted line ("> …"), the mail
/// client's attribution line ("On Tue, … wrote:", "Le … a écrit :", "Am … schrieb"), an Outlook header block
/// ("-----Original Message-----", "From: … Sent: …") or a signature separator ("-- "), trimmed to a few lines.
/// </summary>
public static partial class ReplyText
{
    public const int MaxLines = 12;
    public const int MaxChars = 1000;

    public static string NewText(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        var kept = new List<string>();
        var lines = body.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (line.StartsWith('>') || line == "--" || line == "-- " || lines[i] == "-- " || Separator().IsMatch(line)) break;
            // Attribution lines are often wrapped over two lines by the client: "On Tue, 1 Dec 2026, Ana <a@b.c>\nwrote:".
            if (Attribution().IsMatch(line) || (i + 1 < lines.Length && Attribution().IsMatch(line + " " + lines[i + 1].Trim()))) break;
            if (OutlookFrom().IsMatch(line) && lines.Skip(i + 1).Take(4).Any(l => OutlookHeader().IsMatch(l))) break;
            kept.Add(line);
        }
        while (kept.Count > 0 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
        while (kept.Count > 0 && kept[0].Length == 0) kept.RemoveAt(0);
        var text = string.Join('\n', kept.Take(MaxLines)).Trim();
        return text.Length <= MaxChars ? text : text[..MaxChars].TrimEnd() + "…";
    }

    [GeneratedRegex(@"^\s*(-{2,}\s*(Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}|_{10,})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^\s*(On\s.+\swrote:|Le\s.+\sa\s[ée]crit\s?:|Am\s.+\sschrieb.*:|El\s.+\sescribi[oó]:|Op\s.+\sschreef.*:)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^\s*\*?(From|Von|De):\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookFrom();

    [GeneratedRegex(@"^\s*\*?(Sent|Date|Gesendet|Envoyé|To|Subject|An|Betreff):\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookHeader();
}
