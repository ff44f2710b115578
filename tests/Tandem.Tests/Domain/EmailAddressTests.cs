using Tandem.Domain.Identity;

namespace Tandem.Tests.Domain;

public class EmailAddressTests
{
    [Theory]
    [InlineData("  Ana.Silva@Example.COM ", "ana.silva@example.com")]
    [InlineData("mailto:ben@acme.io", "ben@acme.io")]
    public void Emails_are_trimmed_and_lower_cased(string raw, string expected)
    {
        Assert.True(EmailAddress.TryParse(raw, out var email));
        Assert.Equal(expected, email.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("two@@signs.com")]
    [InlineData("space in@side.com")]
    [InlineData("nodot@localhost")]
    [InlineData("trailing@dot.")]
    public void Implausible_addresses_are_refused(string raw) => Assert.False(EmailAddress.TryParse(raw, out _));

    [Fact]
    public void Free_mail_domains_are_recognised()
    {
        EmailAddress.TryParse("someone@GMAIL.com", out var free);
        EmailAddress.TryParse("someone@lumen.io", out var business);
        Assert.True(free.IsFreeMail);
        Assert.False(business.IsFreeMail);
    }

    [Fact]
    public void Account_is_never_matched_on_a_free_mail_domain()
    {
        EmailAddress.TryParse("x@gmail.com", out var free);
        Assert.Null(AccountMatch.For(free, null));
        var byName = AccountMatch.For(free, "Acme, Inc.");
        Assert.NotNull(byName);
        Assert.Null(byName.Domain);
        Assert.Equal("acme", byName.NormalizedName);
    }

    [Theory]
    [InlineData("Acme, Inc.", "acme")]
    [InlineData("ACME Inc", "acme")]
    [InlineData("Müller GmbH", "müller")]
    [InlineData("Procter & Gamble Co.", "procter & gamble")]
    public void Company_names_normalize_to_one_key(string name, string key) => Assert.Equal(key, CompanyName.Normalize(name));
}
