using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Import;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Notifications;

/// <summary>The bell, the list and the profile's choices, through the pages as a browser uses them.</summary>
public abstract class InAppNotificationPagesTests(DatabaseProvider provider)
{
    private static Task<HttpResponseMessage> NoteAsync(WebSession session, long lead, string text) =>
        session.SubmitAsync($"/people/{lead}?handler=Log", new() { ["Type"] = "note", ["Notes"] = text }, formPage: $"/people/{lead}");

    [Fact]
    public async Task A_mention_in_a_note_rings_the_bell_of_the_colleague_and_following_it_opens_the_lead_and_marks_it_read()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        Assert.Equal(HttpStatusCode.Redirect, (await NoteAsync(sam, world.RileyLead, "@riley she asked for a call on Monday; @sam to join")).StatusCode);

        var home = await riley.GetPageAsync("/");
        Assert.Contains("aria-label=\"Notifications, 1 unread\"", home);
        var list = await riley.GetPageAsync("/notifications");
        Assert.Contains("Sam Manager mentioned you on", list);
        Assert.Contains("she asked for a call on Monday", list);
        Assert.Contains("Notifications, none unread", await sam.GetPageAsync("/"));

        var id = await server.Database.Read(c => c.ExecuteScalarAsync<long>(
            "SELECT u.id FROM user_notifications u WHERE u.user_id = @riley AND u.kind = 'mentioned'", new { riley = world.Users[Emails.Riley] }));
        var open = await riley.GetAsync($"/notifications?handler=Open&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/people/{world.RileyLead}", open.Headers.Location!.OriginalString);
        Assert.Contains("Notifications, none unread", await riley.GetPageAsync("/"));

        // Someone else's notification is not there to open.
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/notifications?handler=Open&id={id}")).StatusCode);
    }

    [Fact]
    public async Task Mark_unread_and_mark_all_read_change_the_bell()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        await NoteAsync(sam, world.RileyLead, "@riley first");
        await NoteAsync(sam, world.RileySecondLead, "@riley second");
        var first = await server.Database.Read(c => c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM user_notifications"));

        await riley.SubmitAsync("/notifications?handler=Mark", new() { ["id"] = first.ToString(), ["read"] = "true" });
        Assert.Contains("Notifications, 1 unread", await riley.GetPageAsync("/notifications"));
        await riley.SubmitAsync("/notifications?handler=Mark", new() { ["id"] = first.ToString(), ["read"] = "false" });
        Assert.Contains("Notifications, 2 unread", await riley.GetPageAsync("/notifications"));

        var all = await riley.SubmitAsync("/notifications?handler=ReadAll", []);
        var after = await riley.GetPageAsync(all.Headers.Location!.OriginalString);
        Assert.Contains("2 notifications marked read.", after);
        Assert.Contains("Notifications, none unread", after);
        Assert.Contains("Nothing unread", await riley.GetPageAsync("/notifications?unread=true"));
    }

    [Fact]
    public async Task A_kind_turned_off_on_the_profile_no_longer_reaches_the_list()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        var choices = Tandem.Server.Notifications.InApp.NotificationKinds.All.ToDictionary(k => $"pref.{k.Code}", _ => "both");
        choices["pref.mentioned"] = "email";

        var saved = await riley.SubmitAsync("/me?handler=Notifications", choices, formPage: "/me");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("<option value=\"email\" selected=\"selected\">Email only</option>", await riley.GetPageAsync("/me"));
        await NoteAsync(sam, world.RileyLead, "@riley only by email please");

        Assert.Contains("No notifications yet", await riley.GetPageAsync("/notifications"));
        choices["pref.sla_breach"] = "sometimes";
        var refused = await riley.SubmitAsync("/me?handler=Notifications", choices, formPage: "/me");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Choose how “SLA breaches” reaches you", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_finished_import_and_a_finished_re_score_tell_the_user_who_started_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Tandem:Import:RunJobs"] = "false" });
        var world = await WebWorld.CreateAsync(server);
        var maya = world.Users[Emails.Marketing];
        var path = Path.Combine(TempFolder.Create("inapp"), "fair.csv");
        await File.WriteAllTextAsync(path, "email,first name\na@fair.example,A\nb@fair.example,B\n", ct);
        var uploads = server.Services.GetRequiredService<ImportUploads>();
        var job = await uploads.CreateJobAsync("fair.csv", await ImportUploads.DescribeAsync(path, ct), "auto", new ImportOverrides(),
            Actor.User(maya.ToString(), "Maya Marketing"), runner: "test", ct);
        await server.Services.GetRequiredService<ImportRunner>().RunAsync(job, "test", ct: ct);
        var jobs = server.Services.GetRequiredService<RescoreJobs>();
        await jobs.WaitAsync(await jobs.StartAsync(1, ct, startedBy: maya));

        using var session = await WebSession.SignInAsync(server, Emails.Marketing);
        var list = WebUtility.HtmlDecode(await session.GetPageAsync("/notifications"));
        Assert.Contains("Import of fair.csv finished", list);
        Assert.Contains("2 created, 0 updated", list);
        Assert.Contains("Everyone is scored under model v1", list);
        var links = await server.Database.Read(async c => (await c.QueryAsync<long>(
            "SELECT u.id FROM user_notifications u WHERE u.user_id = @maya ORDER BY u.id", new { maya })).ToList());
        Assert.Equal($"/imports/{job.Id}", (await session.GetAsync($"/notifications?handler=Open&id={links[0]}")).Headers.Location!.OriginalString);
        Assert.Equal("/scoring", (await session.GetAsync($"/notifications?handler=Open&id={links[1]}")).Headers.Location!.OriginalString);
    }
}

public sealed class InAppNotificationPagesTestsOnSqlite() : InAppNotificationPagesTests(DatabaseProvider.Sqlite);

public sealed class InAppNotificationPagesTestsOnPostgres() : InAppNotificationPagesTests(DatabaseProvider.Postgres);
