using System.Text.Json;
using MimeKit;
using Tandem.Server.Email.Inbound;

namespace Tandem.Tests.Email.Inbound;

/// <summary>Each reader on realistic messages and payloads, as Postfix, Gmail, Yahoo, Outlook, SendGrid and Amazon SNS send them.</summary>
public class InboundParserTests
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Email", "Inbound", "Fixtures", name);

    private static InboundFinding OnlyFinding(string eml, params string[] envelope)
    {
        var raw = File.ReadAllBytes(Fixture(eml));
        return Assert.Single(MimeInbound.Read(MimeMessage.Load(new MemoryStream(raw)), raw, envelope));
    }

    [Fact]
    public void A_postfix_bounce_is_hard_with_its_status_and_our_message_id_from_the_returned_headers()
    {
        var f = OnlyFinding("postfix-dsn-hard.eml");
        Assert.Equal(InboundKinds.HardBounce, f.Kind);
        Assert.Equal("ana.lopez@example.org", f.Address);
        Assert.Equal(["20261102090000.101.a1b2c3@mail.lumen.test"], f.Clues.MessageIds);
        Assert.Null(f.Clues.SendId);
        Assert.StartsWith("failed 5.1.1: 550 5.1.1 <ana.lopez@example.org>: Recipient address rejected: User unknown", f.Detail);
        Assert.EndsWith("(reported by mail.lumen.test)", f.Detail);
        Assert.Equal("20261102090003.4Q2mWb0Hk7z9sTq@mail.lumen.test", f.ProviderEventId);
    }

    [Fact]
    public void A_postfix_delay_warning_is_a_soft_bounce()
    {
        var f = OnlyFinding("postfix-dsn-delayed.eml");
        Assert.Equal(InboundKinds.SoftBounce, f.Kind);
        Assert.Equal((106L, "fay.kim@example.net"), (f.Clues.SendId, f.Address));
        Assert.StartsWith("delayed 4.4.1: connect to mx.example.net", f.Detail);
    }

    [Fact]
    public void A_gmail_bounce_names_our_send_in_the_returned_message()
    {
        var f = OnlyFinding("gmail-dsn.eml");
        Assert.Equal(InboundKinds.HardBounce, f.Kind);
        Assert.Equal((102L, "bruno.silva@gmail.com"), (f.Clues.SendId, f.Address));
        Assert.Contains("The email account that you tried to reach does not exist", f.Detail);
        Assert.Contains("(reported by googlemail.com)", f.Detail);
    }

    [Fact]
    public void An_arf_report_is_a_complaint_about_the_original_recipient()
    {
        var f = OnlyFinding("arf-complaint.eml");
        Assert.Equal(InboundKinds.Complaint, f.Kind);
        Assert.Equal(("chen.wei@yahoo.com", "chen.wei@yahoo.com"), (f.Clues.Recipient, f.Address));
        Assert.Equal(["20261102090005.103.c3d4e5@mail.lumen.test"], f.Clues.MessageIds);
        Assert.Equal("abuse report from Yahoo!-Mail-Feedback/1.0", f.Detail);
    }

    [Fact]
    public void A_reply_carries_its_token_thread_and_new_words_without_the_quoted_history()
    {
        var f = OnlyFinding("reply-with-quote.eml");
        Assert.Equal(InboundKinds.Reply, f.Kind);
        Assert.Equal("rt104dddddddd", f.Clues.ReplyToken);
        Assert.Equal(["20261102090006.104.d4e5f6@mail.lumen.test"], f.Clues.MessageIds);
        Assert.Equal("dana.ortiz@northwind.test", f.Address);
        Assert.Equal("Hi,\n\nThanks — we're looking at replacing our current tool before Q1.\nCould someone walk us through pricing for 40 seats next week?\n\nDana",
            f.Reply!.Text);
        Assert.DoesNotContain("welcome to Lumen", f.Reply.Text);
    }

    [Fact]
    public void An_out_of_office_is_an_auto_reply()
    {
        var f = OnlyFinding("out-of-office.eml");
        Assert.Equal(InboundKinds.AutoReply, f.Kind);
        Assert.Equal("rt105eeeeeeee", f.Clues.ReplyToken);
        Assert.Contains("Auto-Submitted: auto-generated", f.Detail);
    }

    [Fact]
    public void The_envelope_recipient_finds_the_token_when_the_headers_do_not()
    {
        var raw = "From: Dana <dana@northwind.test>\r\nTo: Lumen <hello@lumen.test>\r\nSubject: Re: hi\r\nMessage-ID: <x1@northwind.test>\r\n\r\nCall me.\r\n"u8.ToArray();
        var f = Assert.Single(MimeInbound.Read(MimeMessage.Load(new MemoryStream(raw), TestContext.Current.CancellationToken), raw, ["reply+rt104dddddddd@reply.lumen.test"]));
        Assert.Equal(("rt104dddddddd", "Call me."), (f.Clues.ReplyToken, f.Reply!.Text));
    }

    [Fact]
    public void SendGrid_events_map_to_kinds_and_skip_what_Tandem_tracks_itself()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture("sendgrid-events.json")));
        var findings = SendGridEvents.Read(doc.RootElement);
        Assert.Equal([InboundKinds.HardBounce, InboundKinds.Delivered, InboundKinds.Complaint, InboundKinds.SoftBounce, InboundKinds.Deferred, InboundKinds.HardBounce],
            findings.Select(f => f.Kind));
        Assert.Equal((107L, "6g4ZI7SA-xmRDv57GoPIPw"), (findings[0].Clues.SendId, findings[0].ProviderEventId));
        Assert.Equal(["20261102090009.108.a8b9c0@mail.lumen.test"], findings[1].Clues.MessageIds);
        Assert.StartsWith("blocked 5.7.1", findings[3].Detail);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1793610012), findings[0].OccurredAt);
    }

    [Fact]
    public void SES_notifications_are_read_through_the_SNS_envelope()
    {
        static IReadOnlyList<InboundFinding> Read(string name)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Fixture(name)));
            return SesNotifications.Read(doc.RootElement);
        }
        var bounce = Assert.Single(Read("ses-bounce.json"));
        Assert.Equal((InboundKinds.HardBounce, 110L, "jun.park@adatum.test"), (bounce.Kind, bounce.Clues.SendId, bounce.Address));
        Assert.Equal("a1f9b6c2-5d0e-5c7f-9e3b-7d8e0a4c2b11", bounce.ProviderEventId);
        Assert.Equal("Permanent/General 5.1.1: smtp; 550 5.1.1 user unknown", bounce.Detail);
        var complaint = Assert.Single(Read("ses-complaint.json"));
        Assert.Equal((InboundKinds.Complaint, "abuse report from Comcast Feedback Loop (V0.01)"), (complaint.Kind, complaint.Detail));
        Assert.Equal(["20261102090015.111.d1e2f3@mail.lumen.test"], complaint.Clues.MessageIds);
        Assert.Equal(InboundKinds.Delivered, Assert.Single(Read("ses-delivery.json")).Kind);
        var confirm = Assert.Single(Read("sns-subscription-confirmation.json"));
        Assert.Equal(InboundKinds.SubscriptionConfirmation, confirm.Kind);
        Assert.Contains("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=", confirm.Detail);
    }
}
