using Tandem.Domain.Email;

namespace Tandem.Tests.Domain;

public sealed class OpenClassifierTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";

    [Theory]
    [InlineData("Mozilla/5.0", "Apple Mail Privacy Protection")]
    [InlineData("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", "Gmail's image proxy")]
    [InlineData("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html", "Yahoo Mail's image proxy")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246 Mozilla/5.0",
        "a Microsoft mail scanner")]
    public void A_known_proxy_is_a_prefetch_at_any_time(string userAgent, string name)
    {
        var verdict = OpenClassifier.Classify(0, 3_600_000, userAgent, Window);
        Assert.True(verdict.Prefetched);
        Assert.Equal(name, verdict.Why);
    }

    [Fact]
    public void A_reader_inside_the_window_is_a_prefetch_and_after_it_a_person()
    {
        Assert.True(OpenClassifier.Classify(1_000, 10_999, Safari, Window).Prefetched);
        Assert.False(OpenClassifier.Classify(1_000, 11_000, Safari, Window).Prefetched);
        Assert.False(OpenClassifier.Classify(null, 5, "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17628; Pro)", Window).Prefetched);
    }
}
