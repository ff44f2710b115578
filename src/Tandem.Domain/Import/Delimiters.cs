namespace Tandem.Domain.Import;

/// <summary>Sniffs the field delimiter from the start of a file: the candidate that splits the lines most consistently.</summary>
public static class Delimiters
{
    public static readonly IReadOnlyList<char> Candidates = [',', ';', '\t', '|'];

    /// <param name="sample">The first few kilobytes of the file as text.</param>
    public static char Sniff(string sample)
    {
        var lines = Records(sample).Take(20).ToList();
        if (lines.Count > 1 && !sample.EndsWith('\n')) lines.RemoveAt(lines.Count - 1); // the sample may cut the last record
        var best = ','; var bestScore = 0.0;
        foreach (var d in Candidates)
        {
            var counts = lines.Select(l => CountOutsideQuotes(l, d)).ToList();
            if (counts.Count == 0 || counts[0] == 0) continue;
            // The header's count is the expected one; every data line that agrees adds confidence.
            var agreeing = counts.Count(c => c == counts[0]);
            var score = counts[0] * (agreeing / (double)counts.Count);
            if (score > bestScore) { best = d; bestScore = score; }
        }
        return best;
    }

    public static string Name(char delimiter) => delimiter switch { '\t' => "tab", ';' => "semicolon", '|' => "pipe", _ => "comma" };

    public static bool TryParse(string? text, out char delimiter)
    {
        delimiter = ',';
        switch (text?.Trim().ToLowerInvariant())
        {
            case "," or "comma": delimiter = ','; return true;
            case ";" or "semicolon": delimiter = ';'; return true;
            case "\t" or "tab" or "\\t": delimiter = '\t'; return true;
            case "|" or "pipe": delimiter = '|'; return true;
            default: return false;
        }
    }

    private static int CountOutsideQuotes(string line, char d)
    {
        var n = 0; var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == d && !quoted) n++;
        }
        return n;
    }

    /// <summary>Splits text into records, keeping newlines that sit inside quotes.</summary>
    private static IEnumerable<string> Records(string text)
    {
        var start = 0; var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == '\n' && !quoted)
            {
                var line = text[start..i].TrimEnd('\r');
                if (line.Length > 0) yield return line;
                start = i + 1;
            }
        }
        if (start < text.Length) yield return text[start..];
    }
}
