namespace Tandem.Domain.Identity;

/// <summary>A normalized email address: trimmed and lower-cased, the key one person is known by.</summary>
public readonly record struct EmailAddress
{
    private EmailAddress(string value) => Value = value;

    public string Value { get; }

    /// <summary>The part after the @, used to match the person's account.</summary>
    public string Domain => Value[(Value.LastIndexOf('@') + 1)..];

    public bool IsFreeMail => FreeMailDomains.Contains(Domain);

    public override string ToString() => Value;

    /// <summary>Normalizes <paramref name="raw"/>; false when it is not a plausible address.</summary>
    public static bool TryParse(string? raw, out EmailAddress email)
    {
        email = default;
        if (string.IsNullOrWhiteSpace(raw)) return false;
        var value = raw.Trim().ToLowerInvariant();
        if (value.StartsWith("mailto:", StringComparison.Ordinal)) value = value[7..];

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.Length > 254) return false;
        if (value.AsSpan().IndexOfAny(" \t\r\n,;<>\"()[]\\") >= 0) return false;
        if (value.IndexOf('@') != at) return false;

        var domain = value[(at + 1)..];
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..")) return false;

        email = new EmailAddress(value);
        return true;
    }
}
