using Tandem.Domain.Capture;

namespace Tandem.Tests.Domain;

public class AttributionTests
{
    [Theory]
    [InlineData("google", "cpc", null, Channels.PaidSearch)]
    [InlineData("linkedin", "cpc", null, Channels.PaidSocial)]
    [InlineData("newsletter", "email", null, Channels.Email)]
    [InlineData(null, null, "https://www.google.com/search?q=x", Channels.OrganicSearch)]
    [InlineData(null, null, "https://news.example.org/post", Channels.Referral)]
    [InlineData("Google", null, null, Channels.OrganicSearch)]
    public void Channel_is_classified_from_utm_and_referrer(string? source, string? medium, string? referrer, string expected) =>
        Assert.Equal(expected, Channels.Classify(source, medium, referrer));

    [Fact]
    public void Case_variants_of_a_channel_fold_to_one()
    {
        Assert.Equal(Channels.PaidSearch, Channels.Fold("paid search"));
        Assert.Equal(Channels.Fold("olark chat"), Channels.Fold("Olark  Chat"));
    }

    [Fact]
    public void Event_time_corrects_the_device_clock_by_sent_at()
    {
        var received = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        // The device clock runs an hour fast: it stamped the event at 13:00 and sent it at 13:00:05.
        var happened = EventTime.Resolve(received.AddHours(1), received.AddHours(1).AddSeconds(5), received);
        Assert.Equal(received.AddSeconds(-5), happened);
    }
}
