using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;
using Tandem.Tests.Stall;
using static Tandem.Tests.Stall.StallWorkspace;

namespace Tandem.Tests.Web;

/// <summary>A manager finds a stalled lead on the stalled-leads page, reassigns it in bulk, and the new rep sees it come back as revived.</summary>
public abstract class StallPagesTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_manager_sees_a_stalled_lead_reassigns_it_and_the_new_rep_sees_it_revived_in_the_inbox()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks);
        var world = await WebWorld.CreateAsync(server);
        var api = await server.AdminClientAsync();
        await api.PublishRulesAsync(new { rules = new object[] { new { key = "rotting", name = "Accepted and ignored", kind = "noActivity", days = 14, actions = Array.Empty<string>() } } });
        clock.Advance(TimeSpan.FromDays(20));
        await api.SweepAsync();

        using var sam = await WebSession.SignInAsync(server, WebWorld.Emails.Manager);
        var page = await sam.GetPageAsync("/stalls");
        Assert.Contains("Joanna Fabrikam", page);
        Assert.Contains("Accepted by Jordan Rep 20 days ago", WebUtility.HtmlDecode(page));
        Assert.DoesNotContain("Rita Northwind", page); // an MQL is not what this rule watches
        var stall = await api.StallOfAsync(world.JordanLead);

        var posted = await sam.SubmitAsync("/stalls?handler=Bulk", new() { ["action"] = "reassign", ["returnTo"] = "/stalls" }, "/stalls",
            [new("ids", stall.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/stalls", posted.Headers.Location?.OriginalString);
        var riley = world.Users[WebWorld.Emails.Riley];
        Assert.Equal(riley, await server.OwnerOfAsync(world.JordanLead));
        var after = WebUtility.HtmlDecode(await sam.GetPageAsync("/stalls"));
        Assert.Contains("reassigned to Riley Rep", after);
        Assert.Contains("(by Sam Manager)", after);

        // The lead replies: revived, and Riley's inbox flags it with the story of the stall.
        await server.Services.GetRequiredService<Consequences>().WriteAsync((c, tx) =>
        {
            server.Services.GetRequiredService<PersonEvents>().Raise(tx, new EmailEventRecorded(world.JordanLead, EmailEventKind.Replied, null, null, null, null,
                Actor.System("test")));
            return Task.CompletedTask;
        }, ct);
        using var rileySession = await WebSession.SignInAsync(server, WebWorld.Emails.Riley);
        var inbox = WebUtility.HtmlDecode(await rileySession.GetPageAsync("/inbox"));
        Assert.Contains("revived: replied to an email", inbox);
        Assert.Contains("Stalled before: Accepted by Jordan Rep 20 days ago", inbox);
        Assert.Equal(HttpStatusCode.Forbidden, (await rileySession.GetAsync("/stalls")).StatusCode);

        var report = WebUtility.HtmlDecode(await sam.GetPageAsync("/stalls/report"));
        Assert.Contains("Accepted and ignored", report);
        var csv = await (await sam.GetAsync("/stalls/report?handler=Csv&by=rep")).Content.ReadAsStringAsync(ct);
        Assert.StartsWith("rep,entered,revived,revival_rate", csv);
        Assert.Contains("Jordan Rep,1,1,1,", csv);
    }
}

public sealed class StallPagesTestsOnSqlite() : StallPagesTests(DatabaseProvider.Sqlite);

public sealed class StallPagesTestsOnPostgres() : StallPagesTests(DatabaseProvider.Postgres);
