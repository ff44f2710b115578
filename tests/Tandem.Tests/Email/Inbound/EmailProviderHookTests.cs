using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;

namespace Tandem.Tests.Email.Inbound;

/// <summary>The providers' own hooks (SendGrid, SES through SNS) and the hook secrets.</summary>
public abstract class EmailProviderHookTests(DatabaseProvider provider) : EmailInboundTests(provider)
{
    [Fact]
    public async Task A_sendgrid_inbound_parse_form_carries_the_raw_message_and_its_envelope()
    {
        await using var w = await StartAsync();
        var dana = await SentEmailAsync(w, 104, "dana.ortiz@northwind.test", "unrelated@mail.lumen.test", "rt104dddddddd");
        var raw = "From: Dana <dana.ortiz@northwind.test>\r\nTo: Lumen <hello@lumen.test>\r\nSubject: Re: Welcome\r\nMessage-ID: <parse1@northwind.test>\r\n\r\nYes please.\r\n";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(raw), "email" },
            { new StringContent("{\"to\":[\"reply+rt104dddddddd@reply.lumen.test\"],\"from\":\"dana.ortiz@northwind.test\"}"), "envelope" },
            { new StringContent("Lumen <hello@lumen.test>"), "to" },
        };

        await PostAsync(w.Api, w.Hooks.GetProperty("rawMime").GetString()!, form);

        Assert.Equal("Yes please.", Assert.Single(await ActivitiesAsync(w, dana, "email_replied")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task SendGrid_events_bounce_complain_deliver_and_a_redelivered_batch_is_recorded_once()
    {
        await using var w = await StartAsync();
        var gus = await SentEmailAsync(w, 107, "gus.meyer@fabrikam.test", "20261102090008.107.f7a8b9@mail.lumen.test", "rt107gggggggg");
        var hana = await SentEmailAsync(w, 108, "hana.sato@litware.test", "20261102090009.108.a8b9c0@mail.lumen.test", "rt108hhhhhhhh");
        await SentEmailAsync(w, 109, "ike.obi@tailspin.test", "20261102090010.109.b9c0d1@mail.lumen.test", "rt109iiiiiiii");

        var first = await PostJsonAsync(w, "sendGrid", "sendgrid-events.json");
        var again = await PostJsonAsync(w, "sendGrid", "sendgrid-events.json");

        Assert.Equal(["hard_bounce", "delivered", "complaint", "soft_bounce", "deferred", "unmatched"],
            first.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.All(again.GetProperty("events").EnumerateArray(), e => Assert.True(e.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(6L, await One<long>(w, "SELECT COUNT(*) FROM email_inbound_events WHERE source = 'sendgrid'"));

        Assert.StartsWith("hard_bounce: SendGrid: bounce 5.1.1", Assert.Single(await SuppressionsAsync(w, "gus.meyer@fabrikam.test")));
        Assert.Single(await ActivitiesAsync(w, gus, "email_bounced"));
        Assert.Equal("complaint: SendGrid: spam report", Assert.Single(await SuppressionsAsync(w, "hana.sato@litware.test")));
        var hanaSend = await One<(long? DeliveredAt, long? ComplainedAt)>(w, "SELECT delivered_at, complained_at FROM email_sends WHERE id = 108");
        Assert.True(hanaSend.DeliveredAt is not null && hanaSend.ComplainedAt is not null);
        Assert.Single(await ActivitiesAsync(w, hana, "email_complained"));
        Assert.Equal("soft", await One<string>(w, "SELECT bounce_kind FROM email_sends WHERE id = 109"));
        Assert.Empty(await SuppressionsAsync(w, "ike.obi@tailspin.test"));
        Assert.Empty(await SuppressionsAsync(w, "nobody@unknown.test"));
        Assert.Equal([EmailEventKind.Bounced, EmailEventKind.Complained, EmailEventKind.SoftBounced], w.Events.Seen.Select(e => e.Kind));
    }

    [Fact]
    public async Task SES_notifications_through_SNS_bounce_complain_deliver_and_a_subscription_waits_for_an_administrator()
    {
        await using var w = await StartAsync();
        var jun = await SentEmailAsync(w, 110, "jun.park@adatum.test", "20261102090012.110.c0d1e2@mail.lumen.test", "rt110jjjjjjjj");
        var kim = await SentEmailAsync(w, 111, "kim.lee@wingtip.test", "20261102090015.111.d1e2f3@mail.lumen.test", "rt111kkkkkkkk");

        await PostJsonAsync(w, "ses", "sns-subscription-confirmation.json");
        await PostJsonAsync(w, "ses", "ses-delivery.json");
        await PostJsonAsync(w, "ses", "ses-bounce.json");
        await PostJsonAsync(w, "ses", "ses-complaint.json");
        var again = await PostJsonAsync(w, "ses", "ses-bounce.json");

        Assert.True(Assert.Single(again.GetProperty("events").EnumerateArray()).GetProperty("duplicate").GetBoolean());
        Assert.StartsWith("hard_bounce: Amazon SES: Permanent/General 5.1.1", Assert.Single(await SuppressionsAsync(w, "jun.park@adatum.test")));
        Assert.Single(await ActivitiesAsync(w, jun, "email_bounced"));
        Assert.Equal("complaint: Amazon SES: abuse report from Comcast Feedback Loop (V0.01)", Assert.Single(await SuppressionsAsync(w, "kim.lee@wingtip.test")));
        Assert.Single(await ActivitiesAsync(w, kim, "email_complained"));
        Assert.NotNull(await One<long?>(w, "SELECT delivered_at FROM email_sends WHERE id = 111"));
        var confirmation = Assert.Single((await w.Api.GetJsonAsync("/api/v1/email/inbound/events?kind=subscription_confirmation")).EnumerateArray());
        Assert.Contains("an administrator opens https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription", confirmation.GetProperty("detail").GetString());
        Assert.Equal([EmailEventKind.Bounced, EmailEventKind.Complained], w.Events.Seen.Select(e => e.Kind));
    }

    [Fact]
    public async Task A_wrong_secret_is_404_rotating_retires_the_old_one_and_only_email_scopes_see_it()
    {
        await using var w = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = w.Server.Client();
        var message = "From: a@b.test\r\nSubject: hi\r\n\r\nhi\r\n"u8.ToArray();
        foreach (var hook in new[] { "inbound", "sendgrid", "ses" })
            await PostAsync(anonymous, $"/hooks/email/{hook}/not-the-secret", Mime(message), HttpStatusCode.NotFound);

        var old = w.Hooks.GetProperty("rawMime").GetString()!;
        await PostAsync(anonymous, old, Mime(message));
        var rotated = await PostAsync(w.Api, "/api/v1/email/inbound/rotate", new StringContent(""), HttpStatusCode.OK);
        await PostAsync(anonymous, old, Mime(message), HttpStatusCode.NotFound);
        await PostAsync(anonymous, rotated.GetProperty("rawMime").GetString()!, Mime(message));
        Assert.Equal(rotated.GetProperty("rawMime").GetString(), (await w.Api.GetJsonAsync("/api/v1/email/inbound")).GetProperty("rawMime").GetString());
        Assert.EndsWith("/hooks/email/ses/" + rotated.GetProperty("rawMime").GetString()!.Split('/')[^1], rotated.GetProperty("ses").GetString());

        using var reader = w.Server.Client(await w.Server.CreateKeyAsync(Scopes.Read));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/email/inbound", ct)).StatusCode);
        using var emailReader = w.Server.Client(await w.Server.CreateKeyAsync(Scopes.EmailRead));
        Assert.Equal(HttpStatusCode.Forbidden, (await emailReader.GetAsync("/api/v1/email/inbound", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await emailReader.GetAsync("/api/v1/email/inbound/events", ct)).StatusCode);
        using var emailWriter = w.Server.Client(await w.Server.CreateKeyAsync(Scopes.EmailWrite));
        Assert.Equal(HttpStatusCode.OK, (await emailWriter.GetAsync("/api/v1/email/inbound", ct)).StatusCode);
        var bad = await w.Api.GetAsync("/api/v1/email/inbound/events?kind=bounce", ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty("kind", out _));
    }
}

public sealed class EmailProviderHookTestsOnSqlite() : EmailProviderHookTests(DatabaseProvider.Sqlite);

public sealed class EmailProviderHookTestsOnPostgres() : EmailProviderHookTests(DatabaseProvider.Postgres);
