using Tandem.Domain.Reporting;

namespace Tandem.Tests.Domain.Reporting;

public class AssetMatchTests
{
    [Theory]
    [InlineData("/pricing", "https://lumen.example/pricing", true)]
    [InlineData("/pricing", "https://lumen.example/pricing/?utm_source=x", true)]
    [InlineData("/pricing", "https://lumen.example/pricing-old", false)]
    [InlineData("/blog/data-sla*", "https://lumen.example/blog/data-sla-part-2", true)]
    [InlineData("/blog/*", "https://lumen.example/customers", false)]
    [InlineData("https://lumen.example/Customers", "http://LUMEN.example/customers#top", true)]
    [InlineData("lumen.example/docs/*", "https://lumen.example/docs/getting-started", true)]
    [InlineData("https://lumen.example/pricing", "https://other.example/pricing", false)]
    [InlineData("/pricing", "/pricing", true)]
    [InlineData("/pricing", null, false)]
    public void Url_patterns_match_pages(string pattern, string? url, bool expected) => Assert.Equal(expected, AssetMatch.UrlMatches(pattern, url));

    [Fact]
    public void Ids_match_whatever_their_case()
    {
        Assert.True(AssetMatch.KeyMatches("State of Data Reliability 2026", " state of data reliability 2026"));
        Assert.False(AssetMatch.KeyMatches("pricing-deck", "pricing"));
    }
}
