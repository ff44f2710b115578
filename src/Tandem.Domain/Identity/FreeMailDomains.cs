namespace Tandem.Domain.Identity;

/// <summary>
/// Mailbox providers anyone can sign up to. An address at one of these says nothing about the
/// person's employer, so it never matches an account.
/// </summary>
public static class FreeMailDomains
{
    private static readonly HashSet<string> Domains = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.co.in", "yahoo.fr", "yahoo.de",
        "ymail.com", "rocketmail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de",
        "outlook.com", "live.com", "msn.com", "windowslive.com", "aol.com", "icloud.com", "me.com", "mac.com",
        "protonmail.com", "proton.me", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com",
        "yandex.com", "yandex.ru", "mail.ru", "zoho.com", "zohomail.com", "fastmail.com", "tutanota.com",
        "hey.com", "qq.com", "163.com", "126.com", "sina.com", "rediffmail.com", "libero.it", "orange.fr",
        "free.fr", "laposte.net", "t-online.de", "btinternet.com", "comcast.net", "verizon.net", "att.net",
        "sbcglobal.net", "naver.com", "hanmail.net", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "bol.com.br",
        "uol.com.br", "terra.com.br",
    };

    public static bool Contains(string domain) => Domains.Contains(domain.Trim());
}
