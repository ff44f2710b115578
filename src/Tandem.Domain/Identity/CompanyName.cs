using System.Text;

namespace Tandem.Domain.Identity;

/// <summary>Normalizes company names so "Acme, Inc." and "ACME Inc" match the same account.</summary>
public static class CompanyName
{
    // Legal-form suffixes carry no identity; people type them inconsistently.
    private static readonly HashSet<string> LegalSuffixes = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh",
        "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "pty", "pvt", "srl", "spa", "oy", "ab", "as", "kg", "lp", "llp",
    };

    /// <summary>Returns the normalized key, or null when nothing identifying is left.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var cleaned = new StringBuilder(name.Length);
        foreach (var c in name.Trim().ToLowerInvariant())
            cleaned.Append(char.IsLetterOrDigit(c) ? c : c == '&' ? '&' : ' ');

        var words = cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && LegalSuffixes.Contains(words[^1])) words.RemoveAt(words.Count - 1);
        var key = string.Join(' ', words);
        return key.Length == 0 ? null : key;
    }
}
