using Tandem.Domain.Email.Inbound;

namespace Tandem.Tests.Domain.Email.Inbound;

public class InboundRulesTests
{
    [Theory]
    [InlineData("failed", "5.1.1", DeliveryOutcome.HardBounce)]
    [InlineData("failed", "smtp; 550 5.7.1 blocked", DeliveryOutcome.HardBounce)]
    [InlineData("failed", "4.2.2", DeliveryOutcome.SoftBounce)]
    [InlineData("delayed", "4.4.1", DeliveryOutcome.Delayed)]
    [InlineData("delayed", "5.0.0", DeliveryOutcome.Delayed)]
    [InlineData("delivered", "2.0.0", DeliveryOutcome.Delivered)]
    [InlineData("failed", null, DeliveryOutcome.SoftBounce)]
    [InlineData(null, null, DeliveryOutcome.Unknown)]
    public void A_report_is_permanent_only_with_a_class_5_status(string? action, string? status, DeliveryOutcome expected) =>
        Assert.Equal(expected, DeliveryStatus.Classify(action, status));

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied", "Re: hi")]
    [InlineData("X-Autoreply", "yes", "Re: hi")]
    [InlineData("X-Autorespond", "1", "Re: hi")]
    [InlineData("Precedence", "bulk", "Re: hi")]
    [InlineData("Precedence", "auto_reply", "Re: hi")]
    [InlineData(null, null, "Out of Office: back Monday")]
    [InlineData(null, null, "Automatic reply: Welcome")]
    [InlineData(null, null, "Abwesenheitsnotiz: Willkommen")]
    public void Machines_answering_are_told_from_people(string? name, string? value, string subject) =>
        Assert.NotNull(AutoReplies.Reason(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase) ? value : null, subject));

    [Theory]
    [InlineData("Auto-Submitted", "no", "Re: pricing")]
    [InlineData(null, null, "Re: Welcome to Lumen")]
    [InlineData(null, null, "Re: what does out of office mean for my plan?")]
    public void A_persons_reply_is_not_automatic(string? name, string? value, string subject) =>
        Assert.Null(AutoReplies.Reason(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase) ? value : null, subject));

    [Fact]
    public void Reply_text_stops_at_the_quoted_history()
    {
        var gmail = "Yes, call me Tuesday.\n\nDana\n\nOn Mon, Nov 2, 2026 at 10:00 AM Lumen <hello@lumen.test> wrote:\n> Hi Dana\n> more";
        Assert.Equal("Yes, call me Tuesday.\n\nDana", ReplyText.NewText(gmail));
        var wrapped = "Sounds good.\nOn Mon, Nov 2, 2026 at 10:00 AM Lumen Marketing Team <hello@lumen.test>\nwrote:\n> Hi";
        Assert.Equal("Sounds good.", ReplyText.NewText(wrapped));
        var outlook = "Please remove me.\r\n\r\nFrom: Lumen <hello@lumen.test>\r\nSent: Monday, November 2, 2026 10:00\r\nTo: Sam\r\nSubject: Hi\r\n\r\nHi Sam";
        Assert.Equal("Please remove me.", ReplyText.NewText(outlook));
        Assert.Equal("Ok", ReplyText.NewText("Ok\n-----Original Message-----\nFrom: x"));
        Assert.Equal("Merci !", ReplyText.NewText("Merci !\n\nLe lun. 2 nov. 2026 à 10:00, Lumen <hello@lumen.test> a écrit :\n> Bonjour"));
        Assert.Equal("Thanks", ReplyText.NewText("Thanks\n-- \nDana Ortiz | Northwind"));
        Assert.True(ReplyText.NewText(string.Join('\n', Enumerable.Range(1, 40).Select(i => $"line {i}"))).Split('\n').Length == ReplyText.MaxLines);
    }

    [Theory]
    [InlineData("reply+rt104dddddddd@reply.lumen.test", "rt104dddddddd")]
    [InlineData("Lumen <reply+Ab3_x-9zQ@reply.lumen.test>", "Ab3_x-9zQ")]
    [InlineData("sales@lumen.test", null)]
    [InlineData("reply+ab@lumen.test", null)]
    public void The_reply_token_is_read_from_the_recipient(string address, string? token) => Assert.Equal(token, ReplyAddress.Token(address));

    [Fact]
    public void Only_three_soft_bounces_in_a_row_with_no_sign_of_life_suppress()
    {
        SoftBounceRule.SentEmail Soft() => new(true, false, false);
        Assert.True(SoftBounceRule.Suppresses([Soft(), Soft(), Soft()]));
        Assert.False(SoftBounceRule.Suppresses([Soft(), Soft()]));
        Assert.False(SoftBounceRule.Suppresses([Soft(), new(false, false, false), Soft(), Soft()]));
        Assert.False(SoftBounceRule.Suppresses([Soft(), new(true, false, true), Soft()]));
    }
}
