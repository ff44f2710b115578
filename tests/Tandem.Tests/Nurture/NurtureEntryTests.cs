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
/// <summary>How people come into programs: events, named forms and rejections, filters with their preview and sweep, a holdout, one program of a kind at once.</summary>
public abstract class NurtureEntryTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<(TandemServer Server, HttpClient Api, ManualClock Clock)> StartAsync() => StartNurtureAsync(provider);

    [Fact]
    public async Task A_person_is_in_one_program_of_a_kind_at_once_and_goes_through_a_program_once()
    {
        var (server, api, _) = await StartAsync();
        await using var __ = server;
        var steps = new object[] { new { key = "pause", type = "wait", duration = "3d" } };
        var first = await api.CreateProgramAsync("Welcome A", "welcome", new { steps });
        var second = await api.CreateProgramAsync("Welcome B", "welcome", new { steps });
        var other = await api.CreateProgramAsync("Webinar", "events", new { steps });
        var lead = await api.LeadAsync("kim@acme.io");
        await api.EnrollAsync(first, lead);

        var refused = await api.PostAsJsonAsync($"/api/v1/nurture/programs/{second}/enroll", new { personId = lead }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Welcome A", (await refused.ProblemAsync()).GetProperty("detail").GetString());
        await api.EnrollAsync(other, lead);

        var removed = (await api.EnrollmentOfAsync(lead, first)).Id();
        await (await api.PostAsync($"/api/v1/nurture/enrollments/{removed}/remove", null, Ct)).EnsureSuccessWithBodyAsync();
        Assert.Equal("removed_by_hand", (await api.EnrollmentOfAsync(lead, first)).ExitReason());
        await api.EnrollAsync(second, lead); // the kind's place is free again
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/api/v1/nurture/programs/{first}/enroll", new { personId = lead }, Ct)).StatusCode);
        Assert.Equal(1, await server.Database.CountAsync("SELECT COUNT(*) FROM nurture_enrollments WHERE person_id = @lead AND kind = 'welcome' AND status = 'active'",
            new { lead }));
    }

    [Fact]
    public async Task Entry_by_filter_previews_enrolls_set_based_and_keeps_the_holdout_out_of_the_steps_but_in_the_figures()
    {
        var (server, api, _) = await StartAsync();
        await using var __ = server;
        var people = new List<long>();
        for (var i = 0; i < 40; i++) people.Add(await api.LeadAsync($"p{i}@acme.io", new { country = i % 4 == 0 ? "FR" : "DE" }));
        var program = await api.CreateProgramAsync("German leads", "country", new
        {
            entry = new { filter = new { stage = "Lead", country = "DE" } },
            steps = new object[] { new { key = "call", type = "task", title = "Call {{firstName}}" } },
            holdoutPercent = 30,
        });
        var germans = people.Where((_, i) => i % 4 != 0).ToList();
        var expectedHeld = germans.Count(p => Holdout.IsHeldOut(p, program, 30));
        Assert.InRange(expectedHeld, 1, germans.Count - 1);

        var preview = await (await api.PostAsJsonAsync($"/api/v1/nurture/programs/{program}/preview", new { }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(30, preview.GetProperty("count").GetInt64());
        Assert.Equal(20, preview.GetProperty("first").GetArrayLength());

        var entered = await (await api.PostAsync($"/api/v1/nurture/programs/{program}/enroll-matching", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((30 - expectedHeld, expectedHeld), (entered.GetProperty("entered").GetInt64(), entered.GetProperty("heldOut").GetInt64()));
        await server.TickNurtureAsync();
        Assert.Equal(30 - expectedHeld, await server.Database.CountAsync("SELECT COUNT(*) FROM tasks"));
        var heldTasks = await server.Database.CountAsync(
            "SELECT COUNT(*) FROM tasks t JOIN nurture_enrollments e ON e.person_id = t.person_id WHERE e.status = 'held_out'");
        Assert.Equal(0, heldTasks);

        var figures = (await api.GetJsonAsync($"/api/v1/nurture/programs/{program}")).GetProperty("figures");
        Assert.Equal(30 - expectedHeld, figures.GetProperty("enrolled").GetInt64());
        Assert.Equal(expectedHeld, figures.GetProperty("heldOut").GetInt64());
        Assert.Equal(expectedHeld, figures.GetProperty("conversion").GetProperty("heldOut").GetInt64());
        Assert.Equal(30 - expectedHeld, figures.GetProperty("steps")[0].GetProperty("runs").GetInt64());
        var again = await (await api.PostAsJsonAsync($"/api/v1/nurture/programs/{program}/preview", new { }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(0, again.GetProperty("count").GetInt64()); // everyone matching is in (or held out) already
    }

    [Fact]
    public async Task Events_enroll_a_recycle_with_the_named_reason_and_a_move_into_a_stage()
    {
        var (server, api, _) = await StartAsync();
        await using var __ = server;
        var steps = new object[] { new { key = "pause", type = "wait", duration = "3d" } };
        var reEngage = await api.CreateProgramAsync("Re-engage", "re-engagement", new
        {
            entry = new { events = new[] { new { type = "recycled", reason = "not-ready" } } }, steps,
        });
        var customers = await api.CreateProgramAsync("Onboarding", "onboarding", new
        {
            entry = new { events = new[] { new { type = "becameStage", stage = "Customer" } } }, steps,
        });
        var notReady = await api.LeadAsync("nr@acme.io");
        var noBudget = await api.LeadAsync("nb@acme.io");
        await (await api.MoveStageAsync(notReady, "Recycled", "not-ready")).EnsureSuccessWithBodyAsync();
        await (await api.MoveStageAsync(noBudget, "Recycled", "no-budget")).EnsureSuccessWithBodyAsync();
        await (await api.MoveStageAsync(noBudget, "Customer")).EnsureSuccessWithBodyAsync();

        Assert.Equal("active", (await api.EnrollmentOfAsync(notReady, reEngage)).Status());
        Assert.Equal("event:Recycled", (await api.EnrollmentOfAsync(notReady, reEngage)).GetProperty("enteredBy").GetString());
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM nurture_enrollments WHERE person_id = @noBudget AND program_id = @reEngage",
            new { noBudget, reEngage }));
        Assert.Equal("active", (await api.EnrollmentOfAsync(noBudget, customers)).Status());
    }

    [Fact]
    public async Task A_named_form_submission_and_a_rejection_for_a_reason_enroll_the_person()
    {
        var (server, api, _) = await StartAsync();
        await using var __ = server;
        var steps = new object[] { new { key = "pause", type = "wait", duration = "3d" } };
        var demo = await api.CreateProgramAsync("Demo follow-up", "demo", new
        {
            entry = new { events = new[] { new { type = "formSubmitted", form = "Demo request" } } }, steps,
        });
        var rejected = await api.CreateProgramAsync("Not now", "rejected", new
        {
            entry = new { events = new[] { new { type = "rejectedBySales", reason = "no-budget" } } }, steps,
        });
        var created = await (await api.PostAsJsonAsync("/api/v1/forms", new
        {
            name = "Demo request", fieldMapping = new Dictionary<string, string> { ["your-email"] = "email" },
        }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var browser = server.Client(followRedirects: false);
        await browser.PostAsync(created.GetProperty("action").GetString(),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["your-email"] = "fay@acme.io" }), Ct);
        var fay = (await api.GetJsonAsync("/api/v1/people?email=fay@acme.io")).GetProperty("items")[0].Id();
        Assert.Equal("form:Demo request", (await api.EnrollmentOfAsync(fay, demo)).GetProperty("enteredBy").GetString());

        var ray = await api.LeadAsync("ray@acme.io");
        var ria = await api.LeadAsync("ria@acme.io");
        foreach (var (person, reason) in new[] { (ray, "no-budget"), (ria, "bad-fit") })
        {
            await (await api.MoveStageAsync(person, "MQL")).EnsureSuccessWithBodyAsync();
            await (await api.PostAsJsonAsync($"/api/v1/people/{person}/reject", new { reasonCode = reason }, Ct)).EnsureSuccessWithBodyAsync();
        }
        Assert.Equal("active", (await api.EnrollmentOfAsync(ray, rejected)).Status());
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM nurture_enrollments WHERE person_id = @ria", new { ria }));
    }

    [Fact]
    public async Task The_sweep_enrolls_people_who_came_to_match_without_an_event_at_most_once_per_interval()
    {
        var (server, api, clock) = await StartAsync();
        await using var __ = server;
        var program = await api.CreateProgramAsync("Engaged", "engaged", new
        {
            entry = new { filter = new { minEngagement = 50, maxEngagement = 80 } },
            steps = new object[] { new { key = "pause", type = "wait", duration = "3d" } },
        });
        var lead = await api.LeadAsync("eve@acme.io");
        var hot = await api.LeadAsync("hot@acme.io");
        // Scores written behind the events' back, as a bulk re-score does: only the sweep notices.
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE people SET engagement_score = CASE WHEN id = @lead THEN 60 ELSE 95 END WHERE id IN (@lead, @hot)", new { lead, hot }, tx), Ct);
        var sweep = server.Services.GetRequiredService<NurtureSweep>();
        Assert.Equal(1, await sweep.SweepDueAsync(Ct));
        Assert.Equal("sweep", (await api.EnrollmentOfAsync(lead, program)).GetProperty("enteredBy").GetString());

        var later = await api.LeadAsync("later@acme.io");
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET engagement_score = 70 WHERE id = @later", new { later }, tx), Ct);
        Assert.Equal(0, await sweep.SweepDueAsync(Ct)); // swept a moment ago
        clock.Advance(TimeSpan.FromSeconds(900));
        Assert.Equal(1, await sweep.SweepDueAsync(Ct));
    }
}

public sealed class NurtureEntryTestsOnSqlite() : NurtureEntryTests(DatabaseProvider.Sqlite);

public sealed class NurtureEntryTestsOnPostgres() : NurtureEntryTests(DatabaseProvider.Postgres);
