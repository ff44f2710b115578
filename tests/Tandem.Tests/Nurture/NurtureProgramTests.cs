using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Nurture;
using Tandem.Server.Nurture;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;
using static Tandem.Tests.Nurture.NurtureWorkspace;

namespace Tandem.Tests.Nurture;

/// <summary>Programs end to end on a real server with a fake clock: steps, exits, guard rails, figures, the API.</summary>
public abstract class NurtureProgramTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<(TandemServer Server, HttpClient Api, ManualClock Clock)> StartAsync() => StartNurtureAsync(provider);

    [Fact]
    public async Task A_task_step_after_a_wait_creates_the_owners_task_with_merge_fields_when_it_comes_due()
    {
        var (server, api, clock) = await StartAsync();
        await using var _ = server;
        var rep = await server.HireAsync("Rita");
        var sam = await api.LeadAsync("sam@acme.io", new { company = "Acme" });
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET owner_id = @rep WHERE id = @sam", new { rep, sam }, tx), Ct);
        var program = await api.CreateProgramAsync("Follow-up", "follow-up", new
        {
            steps = new object[]
            {
                new { key = "pause", type = "wait", duration = "1d" },
                new { key = "call", type = "task", title = "Call {{firstName}} at {{company | default: \"their company\"}}", dueInHours = 4 },
            },
        });
        await api.EnrollAsync(program, sam);

        Assert.Equal(1, (await server.TickNurtureAsync()).Claimed);
        Assert.Empty((await api.GetJsonAsync($"/api/v1/tasks?owner={rep}&open=true")).EnumerateArray());
        clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, (await server.TickNurtureAsync()).Claimed);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await server.TickNurtureAsync()).Claimed);
        var task = Assert.Single((await api.GetJsonAsync($"/api/v1/tasks?owner={rep}&open=true")).EnumerateArray());
        Assert.Equal("Call sam at Acme", task.GetProperty("title").GetString());
        Assert.Equal(clock.GetUtcNow().AddHours(4), task.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal($"nurture:{program}:call", task.GetProperty("createdFrom").GetString());
        var enrollment = await api.EnrollmentOfAsync(sam, program);
        Assert.Equal(("completed", "completed"), (enrollment.Status(), enrollment.ExitReason()));

        await (await api.PostAsync($"/api/v1/tasks/{task.Id()}/complete", null, Ct)).EnsureSuccessWithBodyAsync();
        Assert.Empty((await api.GetJsonAsync($"/api/v1/tasks?owner={rep}&open=true")).EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/tasks/{task.Id()}/complete", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Hand_to_sales_moves_the_lead_to_mql_routing_gives_it_an_owner_and_the_program_ends_as_became_mql()
    {
        var (server, api, _) = await StartAsync();
        await using var __ = server;
        var ana = await server.HireAsync("Ana");
        await api.CreateRuleAsync("Everyone", await api.CreateTeamAsync("Inbound", [ana]));
        var lead = await api.LeadAsync("lee@acme.io");
        var program = await api.CreateProgramAsync("Warm", "warm", new
        {
            steps = new object[] { new { key = "handoff", type = "handToSales" }, new { key = "after", type = "task", title = "never" } },
        });
        await api.EnrollAsync(program, lead);
        await server.TickNurtureAsync();

        var person = await api.GetJsonAsync($"/api/v1/people/{lead}");
        Assert.Equal("MQL", person.GetProperty("stage").GetString());
        Assert.Equal(ana, await server.OwnerOfAsync(lead));
        var enrollment = await api.EnrollmentOfAsync(lead, program);
        Assert.Equal(("exited", "became_mql"), (enrollment.Status(), enrollment.ExitReason()));
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM tasks"));
    }

    [Fact]
    public async Task A_branch_on_a_field_takes_then_or_else_and_records_which()
    {
        var (server, api, _) = await StartAsync();
        await using var __ = server;
        var vp = await api.LeadAsync("vp@acme.io", new { title = "VP Marketing" });
        var intern = await api.LeadAsync("intern@acme.io", new { title = "Intern" });
        var program = await api.CreateProgramAsync("Seniority", "seniority", new
        {
            steps = new object[]
            {
                new { key = "senior", type = "branch", @if = new { field = "title", contains = "vp" }, then = "exec", @else = "rest" },
                new { key = "exec", type = "task", title = "Exec: {{title}}", next = "end" },
                new { key = "rest", type = "task", title = "Others: {{title}}" },
                new { key = "end", type = "exit", reason = "sorted" },
            },
        });
        await api.EnrollAsync(program, vp);
        await api.EnrollAsync(program, intern);
        await server.TickNurtureAsync();

        var titles = (await api.GetJsonAsync("/api/v1/tasks?owner=none")).EnumerateArray().Select(t => t.GetProperty("title").GetString()).Order().ToList();
        Assert.Equal(["Exec: VP Marketing", "Others: Intern"], titles);
        var steps = (await api.EnrollmentOfAsync(vp, program)).GetProperty("steps").EnumerateArray()
            .Select(s => $"{s.GetProperty("stepKey").GetString()}:{s.GetProperty("outcome").GetString()}").ToList();
        Assert.Equal(["senior:then", "exec:done", "end:done"], steps);
    }

    [Theory]
    [InlineData("Replied", "replied")]
    [InlineData("Unsubscribed", "unsubscribed")]
    [InlineData("Complained", "complained")]
    [InlineData("Bounced", "bounced")]
    public async Task An_email_event_that_is_an_exit_takes_the_person_out_and_nothing_more_happens(string kindName, string reason)
    {
        var kind = Enum.Parse<EmailEventKind>(kindName);
        var (server, api, clock) = await StartAsync();
        await using var __ = server;
        var lead = await api.LeadAsync("rae@acme.io");
        var program = await api.CreateProgramAsync("Series", "series", new
        {
            steps = new object[] { new { key = "pause", type = "wait", duration = "3d" }, new { key = "call", type = "task", title = "Call" } },
        });
        await api.EnrollAsync(program, lead);
        await server.TickNurtureAsync();
        await server.RaiseEmailEventAsync(lead, EmailEventKind.Opened); // a fact for branches, not an exit
        Assert.Equal("active", (await api.EnrollmentOfAsync(lead, program)).Status());

        await server.RaiseEmailEventAsync(lead, kind);
        var enrollment = await api.EnrollmentOfAsync(lead, program);
        Assert.Equal(("exited", reason), (enrollment.Status(), enrollment.ExitReason()));
        clock.Advance(TimeSpan.FromDays(4));
        Assert.Equal(0, (await server.TickNurtureAsync()).Claimed);
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM tasks"));
    }

    [Fact]
    public async Task Exits_follow_the_definition_becoming_an_mql_and_the_owner_touching_them()
    {
        var (server, api, _) = await StartAsync();
        await using var __ = server;
        var wait = new object[] { new { key = "pause", type = "wait", duration = "3d" } };
        var mqlExit = await api.CreateProgramAsync("Until MQL", "a", new { steps = wait, exits = new[] { "becameMql" } });
        var touchExit = await api.CreateProgramAsync("Until touched", "b", new { steps = wait, exits = new[] { "ownerTouched" } });
        var lead = await api.LeadAsync("mo@acme.io");
        await api.EnrollAsync(mqlExit, lead);
        await api.EnrollAsync(touchExit, lead);

        await (await api.PostAsJsonAsync($"/api/v1/people/{lead}/activities", new { type = "call" }, Ct)).EnsureSuccessWithBodyAsync();
        Assert.Equal(("active", "exited"), ((await api.EnrollmentOfAsync(lead, mqlExit)).Status(), (await api.EnrollmentOfAsync(lead, touchExit)).Status()));
        Assert.Equal("owner_touched", (await api.EnrollmentOfAsync(lead, touchExit)).ExitReason());

        await (await api.MoveStageAsync(lead, "MQL")).EnsureSuccessWithBodyAsync();
        var enrollment = await api.EnrollmentOfAsync(lead, mqlExit);
        Assert.Equal(("exited", "became_mql"), (enrollment.Status(), enrollment.ExitReason()));
    }

    [Fact]
    public async Task Paused_programs_run_nothing_and_resume_where_each_person_left_off()
    {
        var (server, api, clock) = await StartAsync();
        await using var __ = server;
        var lead = await api.LeadAsync("pat@acme.io");
        var program = await api.CreateProgramAsync("Pausable", "p", new
        {
            steps = new object[] { new { key = "pause", type = "wait", duration = "1d" }, new { key = "call", type = "task", title = "Call" } },
        });
        await api.EnrollAsync(program, lead);
        await server.TickNurtureAsync();
        await (await api.PostAsync($"/api/v1/nurture/programs/{program}/pause", null, Ct)).EnsureSuccessWithBodyAsync();
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, (await server.TickNurtureAsync()).Claimed);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/api/v1/nurture/programs/{program}/enroll", new { personId = lead }, Ct)).StatusCode);

        await (await api.PostAsync($"/api/v1/nurture/programs/{program}/resume", null, Ct)).EnsureSuccessWithBodyAsync();
        Assert.Equal(1, (await server.TickNurtureAsync()).Claimed);
        Assert.Equal(1, await server.Database.CountAsync("SELECT COUNT(*) FROM tasks"));
    }

    [Fact]
    public async Task A_tick_claims_only_due_enrollments_through_the_due_index_never_the_waiting_ones()
    {
        var (server, api, clock) = await StartAsync();
        await using var __ = server;
        var program = await api.CreateProgramAsync("Long wait", "long", new
        {
            entry = new { filter = new { stage = "Lead" } },
            steps = new object[] { new { key = "pause", type = "wait", duration = "30d" }, new { key = "call", type = "task", title = "Call" } },
        });
        for (var i = 0; i < 60; i++) await api.LeadAsync($"w{i}@acme.io");
        await (await api.PostAsync($"/api/v1/nurture/programs/{program}/enroll-matching", null, Ct)).EnsureSuccessWithBodyAsync();
        Assert.Equal(60, (await server.TickNurtureAsync()).Claimed); // each records its wait
        clock.Advance(TimeSpan.FromDays(1));
        var late = await api.LeadAsync("late@acme.io", new { stage = "Lead" });
        Assert.Equal(1, await server.Database.CountAsync("SELECT COUNT(*) FROM nurture_enrollments WHERE person_id = @late", new { late }));
        var tick = await server.TickNurtureAsync();
        Assert.Equal(1, tick.Claimed); // the newcomer, not the 60 waiting
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM nurture_enrollments WHERE claimed_by IS NOT NULL"));

        // The claim's search is the due index, so its cost follows what is due, not what waits.
        var plan = await server.Database.ReadAsync(async c =>
        {
            var select = NurtureTicker.ClaimSql(SqlDialect.Of(c));
            select = select[(select.IndexOf("SELECT", StringComparison.Ordinal))..^") RETURNING id".Length];
            var args = new { now = 0L, batch = 200 };
            if (server.Database.IsSqlite)
                return string.Join("\n", (await c.QueryAsync<(long, long, long, string)>("EXPLAIN QUERY PLAN " + select, args)).Select(r => r.Item4));
            await c.ExecuteAsync("SET enable_seqscan = off");
            return string.Join("\n", await c.QueryAsync<string>("EXPLAIN " + select, args));
        }, TestContext.Current.CancellationToken);
        Assert.Contains("ix_nurture_enrollments_due", plan);
    }

    [Fact]
    public async Task Definitions_with_problems_are_refused_naming_the_field()
    {
        var (server, api, _) = await StartAsync();
        await using var __ = server;
        var response = await api.PostAsJsonAsync("/api/v1/nurture/programs", new
        {
            name = "Broken", kind = "Bad Kind!",
            definition = new
            {
                entry = new { filter = new { stage = "Nowhere" } },
                steps = new object[] { new { key = "hello", type = "email", templateId = 999 }, new { key = "w", type = "wait", duration = "soon" } },
            },
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("kind", out _));
        Assert.True(errors.TryGetProperty("definition.steps[1].duration", out _));

        var id = await api.CreateProgramAsync("Fixable", "fix", new
        {
            entry = new { filter = new { stage = "Nowhere" } },
            steps = new object[] { new { key = "hello", type = "email", templateId = 999 } },
        }, publish: false).ContinueWith(t => t.IsFaulted ? 0 : t.Result, TaskScheduler.Default);
        Assert.Equal(0, id); // the draft itself is checked against the workspace

        var ok = await api.CreateProgramAsync("Fine", "fine", new { steps = new object[] { new { key = "w", type = "wait", businessDays = 2 } } }, publish: false);
        var put = await api.PutAsJsonAsync($"/api/v1/nurture/programs/{ok}",
            new { definition = new { entry = new { filter = new { stage = "Nowhere" } }, steps = new object[] { new { key = "w", type = "exit" } } } }, Ct);
        var problem = await put.ProblemAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("definition.entry.filter.stage", out _));
        await (await api.PostAsync($"/api/v1/nurture/programs/{ok}/publish", null, Ct)).EnsureSuccessWithBodyAsync();
        await (await api.PostAsync($"/api/v1/nurture/programs/{ok}/publish", null, Ct)).EnsureSuccessWithBodyAsync();
        Assert.Equal([2L, 1L], (await api.GetJsonAsync($"/api/v1/nurture/programs/{ok}/versions")).EnumerateArray().Select(v => v.GetProperty("version").GetInt64()));
        Assert.Equal("active", (await api.GetJsonAsync($"/api/v1/nurture/programs/{ok}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Nurture_scopes_guard_the_programs()
    {
        var (server, _, _) = await StartAsync();
        await using var __ = server;
        var reader = server.Client(await server.CreateKeyAsync("nurture:read"));
        var writer = server.Client(await server.CreateKeyAsync("nurture:write"));
        var people = server.Client(await server.CreateKeyAsync("write"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/nurture/programs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync("/api/v1/nurture/programs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await people.GetAsync("/api/v1/nurture/programs", Ct)).StatusCode);
        var steps = new object[] { new { key = "w", type = "exit" } };
        Assert.Equal(HttpStatusCode.Forbidden,
            (await reader.PostAsJsonAsync("/api/v1/nurture/programs", new { name = "X", kind = "x", definition = new { steps } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await writer.PostAsJsonAsync("/api/v1/nurture/programs", new { name = "X", kind = "x", definition = new { steps } }, Ct)).StatusCode);
    }
}

public sealed class NurtureProgramTestsOnSqlite() : NurtureProgramTests(DatabaseProvider.Sqlite);

public sealed class NurtureProgramTestsOnPostgres() : NurtureProgramTests(DatabaseProvider.Postgres);
