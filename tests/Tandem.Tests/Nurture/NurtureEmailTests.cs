using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Nurture;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Nurture.NurtureWorkspace;

namespace Tandem.Tests.Nurture;

/// <summary>Programs' email steps through the real email queue: sends at the right times, branches on clicks, the holdout, holds.</summary>
public abstract class NurtureEmailTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TandemServer Server, HttpClient Api, ManualClock Clock, long Hello, long Tips)> StartAsync()
    {
        var clock = new ManualClock(MondayNine);
        var settings = new Dictionary<string, string?>(ManualTicks) { ["Tandem:Email:SenderEnabled"] = "false" };
        var server = await TandemServer.StartAsync(provider, clock, settings);
        var (hello, tips) = await server.Database.WriteAsync(async (c, tx) =>
        {
            foreach (var (key, value) in new[] { ("email.from_address", "hello@lumen.example"), ("email.from_name", "Lumen"),
                         ("email.physical_address", "1 Harbour St, Leith"), ("email.company_name", "Lumen") })
                await c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES (@key, @value)", new { key, value }, tx);
            var now = MondayNine.ToUnixTimeMilliseconds();
            const string insert = "INSERT INTO email_templates (name, kind, subject, body_markdown, created_at, updated_at) " +
                "VALUES (@name, 'marketing', @subject, @body, @now, @now) RETURNING id";
            var a = await c.ExecuteScalarAsync<long>(insert, new { name = "Welcome", subject = "Welcome, {{firstName}}", body = "Hello **{{firstName}}**.", now }, tx);
            var b = await c.ExecuteScalarAsync<long>(insert, new { name = "Tips", subject = "Three tips", body = "Read [our tips](https://lumen.example/tips).", now }, tx);
            return (a, b);
        }, Ct);
        return (server, await server.AdminClientAsync(), clock, hello, tips);
    }

    private static Task<List<(long PersonId, long TemplateId, string StepKey, long QueuedAt)>> SendsAsync(Database db) =>
        db.ReadAsync(async c => (await c.QueryAsync<(long, long, string, long)>(
            "SELECT person_id, template_id, step_key, queued_at FROM email_sends ORDER BY queued_at, id")).ToList(), Ct);

    [Fact]
    public async Task A_welcome_series_queues_each_email_at_its_time_over_days()
    {
        var (server, api, clock, hello, tips) = await StartAsync();
        await using var _ = server;
        var lead = await api.LeadAsync("sam@acme.io");
        var program = await api.CreateProgramAsync("Welcome", "welcome", new
        {
            steps = new object[]
            {
                new { key = "hello", type = "email", templateId = hello },
                new { key = "pause", type = "wait", duration = "2d" },
                new { key = "tips", type = "email", templateId = tips },
            },
        });
        await api.EnrollAsync(program, lead);
        var start = clock.GetUtcNow().ToUnixTimeMilliseconds();

        Assert.Equal(1, (await server.TickNurtureAsync()).EmailsQueued);
        Assert.Equal([(lead, hello, "hello", start)], await SendsAsync(server.Database));
        clock.Advance(TimeSpan.FromDays(1));
        await server.TickNurtureAsync();
        Assert.Single(await SendsAsync(server.Database));

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await server.TickNurtureAsync()).EmailsQueued);
        var sends = await SendsAsync(server.Database);
        Assert.Equal((lead, tips, "tips", start + (long)TimeSpan.FromDays(2).TotalMilliseconds), sends[1]);
        Assert.Equal("Welcome, sam", await server.Database.ReadAsync(c => c.QuerySingleAsync<string>(
            "SELECT subject FROM email_sends WHERE step_key = 'hello'"), Ct));
        var enrollment = await api.EnrollmentOfAsync(lead, program);
        Assert.Equal("completed", enrollment.Status());
        Assert.Equal(["hello:sent", "pause:waited", "tips:sent"],
            enrollment.GetProperty("steps").EnumerateArray().Select(s => $"{s.GetProperty("stepKey").GetString()}:{s.GetProperty("outcome").GetString()}"));
        var figures = (await api.GetJsonAsync($"/api/v1/nurture/programs/{program}")).GetProperty("figures");
        Assert.Equal(2, figures.GetProperty("emails").GetProperty("sent").GetInt64());
    }

    [Fact]
    public async Task A_branch_on_a_click_of_the_previous_email_calls_the_clicker_and_nudges_the_rest()
    {
        var (server, api, clock, hello, tips) = await StartAsync();
        await using var _ = server;
        var clicker = await api.LeadAsync("click@acme.io");
        var quiet = await api.LeadAsync("quiet@acme.io");
        var program = await api.CreateProgramAsync("Clicks", "clicks", new
        {
            steps = new object[]
            {
                new { key = "hello", type = "email", templateId = hello },
                new { key = "pause", type = "wait", duration = "1d" },
                new { key = "clicked", type = "branch", @if = new { email = "clicked", of = "previous" }, then = "call", @else = "nudge" },
                new { key = "call", type = "task", title = "Call {{firstName}}: clicked the welcome", next = "end" },
                new { key = "nudge", type = "email", templateId = tips },
                new { key = "end", type = "exit" },
            },
        });
        await api.EnrollAsync(program, clicker);
        await api.EnrollAsync(program, quiet);
        await server.TickNurtureAsync();
        // The click as tracking records it: the send's columns, then the event.
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE email_sends SET first_clicked_at = @at, clicks = 1, first_opened_at = @at, opens = 1 WHERE person_id = @clicker",
            new { at = clock.GetUtcNow().ToUnixTimeMilliseconds(), clicker }, tx), Ct);
        await server.RaiseEmailEventAsync(clicker, EmailEventKind.Clicked);

        clock.Advance(TimeSpan.FromDays(1));
        await server.TickNurtureAsync();
        var task = Assert.Single((await api.GetJsonAsync("/api/v1/tasks?open=true")).EnumerateArray());
        Assert.Equal(clicker, task.GetProperty("personId").GetInt64());
        var sends = await SendsAsync(server.Database);
        Assert.Equal([(clicker, "hello"), (quiet, "hello"), (quiet, "nudge")], sends.Select(s => (s.PersonId, s.StepKey)).Order().ToList());
        var figures = (await api.GetJsonAsync($"/api/v1/nurture/programs/{program}")).GetProperty("figures");
        Assert.Equal(1, figures.GetProperty("emails").GetProperty("clicked").GetInt64());
    }

    [Fact]
    public async Task The_holdout_gets_no_email_but_is_counted_and_compared()
    {
        var (server, api, _, hello, _) = await StartAsync();
        await using var _ = server;
        var people = new List<long>();
        for (var i = 0; i < 30; i++) people.Add(await api.LeadAsync($"h{i}@acme.io"));
        var program = await api.CreateProgramAsync("Measured", "measured", new
        {
            entry = new { filter = new { stage = "Lead" } },
            steps = new object[] { new { key = "hello", type = "email", templateId = hello } },
            holdoutPercent = 40,
        });
        var held = people.Where(p => Holdout.IsHeldOut(p, program, 40)).ToList();
        var emailed = people.Except(held).ToList();
        Assert.NotEmpty(held);
        await (await api.PostAsync($"/api/v1/nurture/programs/{program}/enroll-matching", null, Ct)).EnsureSuccessWithBodyAsync();
        await server.TickNurtureAsync();

        var sent = (await SendsAsync(server.Database)).Select(s => s.PersonId).Order().ToList();
        Assert.Equal(emailed.Order().ToList(), sent);
        await (await api.MoveStageAsync(held[0], "MQL")).EnsureSuccessWithBodyAsync();
        await (await api.MoveStageAsync(emailed[0], "MQL")).EnsureSuccessWithBodyAsync();
        await (await api.MoveStageAsync(emailed[1], "MQL")).EnsureSuccessWithBodyAsync();

        var conversion = (await api.GetJsonAsync($"/api/v1/nurture/programs/{program}")).GetProperty("figures").GetProperty("conversion");
        Assert.Equal((emailed.Count, 2L), (conversion.GetProperty("emailed").GetInt64(), conversion.GetProperty("emailedReachedMql").GetInt64()));
        Assert.Equal((held.Count, 1L), (conversion.GetProperty("heldOut").GetInt64(), conversion.GetProperty("heldOutReachedMql").GetInt64()));
        Assert.Equal(Math.Round(2.0 / emailed.Count, 4), conversion.GetProperty("emailedRate").GetDouble());
    }

    [Fact]
    public async Task A_suppressed_person_leaves_the_program_and_the_frequency_cap_waits()
    {
        var (server, api, clock, hello, tips) = await StartAsync();
        await using var _ = server;
        var gone = await api.LeadAsync("gone@acme.io");
        var capped = await api.LeadAsync("capped@acme.io");
        await server.Database.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO email_suppressions (address, reason, source, person_id, created_at) VALUES ('gone@acme.io', 'unsubscribed', 'test', @gone, 0)",
                new { gone }, tx);
            await c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES ('email.frequency_cap', '1/7')", transaction: tx);
        }, Ct);
        var program = await api.CreateProgramAsync("Two in a row", "pair", new
        {
            steps = new object[] { new { key = "hello", type = "email", templateId = hello }, new { key = "tips", type = "email", templateId = tips } },
        });
        await api.EnrollAsync(program, gone);
        await api.EnrollAsync(program, capped);
        await server.TickNurtureAsync();

        var exited = await api.EnrollmentOfAsync(gone, program);
        Assert.Equal(("exited", "suppressed"), (exited.Status(), exited.ExitReason()));
        var waiting = await api.EnrollmentOfAsync(capped, program);
        Assert.Equal(("active", "tips"), (waiting.Status(), waiting.GetProperty("currentStep").GetString()));
        Assert.True(waiting.GetProperty("dueAt").GetDateTimeOffset() > clock.GetUtcNow().AddDays(6));
        Assert.Single(await SendsAsync(server.Database));
    }
}

public sealed class NurtureEmailTestsOnSqlite() : NurtureEmailTests(DatabaseProvider.Sqlite);

public sealed class NurtureEmailTestsOnPostgres() : NurtureEmailTests(DatabaseProvider.Postgres);
