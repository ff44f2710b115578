using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Routing;

public abstract class RoutingApiTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Becoming_an_MQL_assigns_the_lead_and_explains_who_was_skipped_and_why()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var (ana, ben, cleo, sam) = (await server.HireAsync("Ana"), await server.HireAsync("Ben"), await server.HireAsync("Cleo"),
            await server.HireAsync("Sam", Tandem.Server.Users.Roles.SalesManager));
        var us = await api.CreateTeamAsync("US SDR", [sam]);
        var emea = await api.CreateTeamAsync("EMEA SDR", [ana, ben, cleo], manager: sam);
        await api.CreateRuleAsync("US", us, conditions: [new { field = "country", @operator = "in", values = new[] { "US" } }]);
        await api.CreateRuleAsync("EMEA enterprise", emea, conditions: [new { field = "country", @operator = "in", values = new[] { "DE", "FR" } },
            new { field = "persona", @operator = "equals", value = "CTO" }]);
        (await api.PostAsJsonAsync($"/api/v1/routing/reps/{ana}/time-off",
            new { startsAt = DateTimeOffset.UtcNow.AddHours(-1), endsAt = DateTimeOffset.UtcNow.AddDays(2), note = "holiday" }, ct)).EnsureSuccessStatusCode();
        await api.SetRepAsync(ben, new { capacity = 0 });
        var lead = (await api.CaptureLeadAsync(new { email = "klaus@bigco.de", firstName = "Klaus", country = "DE" })).Id();
        await server.SetScoresAsync(lead, "A", "CTO");

        await api.QualifyAsync(lead);

        Assert.Equal(cleo, await server.OwnerOfAsync(lead));
        var routing = await api.RoutingOfAsync(lead);
        var why = routing.GetProperty("latest").GetProperty("explanation").GetString()!;
        Assert.StartsWith("rule 2 'EMEA enterprise' matched; team EMEA SDR; round robin; skipped Ana (out of office until", why);
        Assert.EndsWith("Ben (at capacity (0/0 open leads)); chose Cleo", why);
        Assert.Equal("Cleo", routing.GetProperty("ownerName").GetString());
        Assert.Equal("mql", routing.GetProperty("latest").GetProperty("trigger").GetString());
        var timeline = await api.GetJsonAsync($"/api/v1/people/{lead}/timeline");
        var assigned = timeline.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("type").GetString() == "assigned");
        Assert.Equal(cleo, assigned.GetProperty("properties").GetProperty("ownerId").GetInt64());
        Assert.Equal(emea, assigned.GetProperty("properties").GetProperty("teamId").GetInt64());
        Assert.Equal(why, assigned.GetProperty("properties").GetProperty("explanation").GetString());
        var told = await server.Database.ReadAsync(c => c.QueryAsync<long>(
            "SELECT user_id FROM notifications WHERE event = 'lead.assigned' AND person_id = @lead ORDER BY user_id", new { lead }), ct);
        Assert.Equal(new[] { cleo, sam }.Order(), told);
    }

    [Fact]
    public async Task Concurrent_MQLs_take_turns_and_never_land_twice_on_the_same_rep()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var reps = new[] { await server.HireAsync("Ana"), await server.HireAsync("Ben"), await server.HireAsync("Cleo") };
        var team = await api.CreateTeamAsync("Inbound", reps);
        await api.CreateRuleAsync("Everyone", team);
        var leads = new List<long>();
        for (var i = 0; i < 30; i++) leads.Add((await api.CaptureLeadAsync(new { email = $"lead{i}@acme.io" })).Id());

        // Ten at a time: enough to race for the rotation, few enough to stay within the shared test database's connections.
        await Parallel.ForEachAsync(leads, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (id, _) => await api.QualifyAsync(id));

        var counts = await server.Database.ReadAsync(c => c.QueryAsync<(long Owner, long Count)>(
            "SELECT owner_id, COUNT(*) FROM people WHERE owner_id IS NOT NULL GROUP BY owner_id"), ct);
        Assert.Equal(3, counts.Count());
        Assert.All(counts, c => Assert.Equal(10, c.Count));
        var decisions = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM routing_decisions"), ct);
        Assert.Equal(30, decisions);
    }

    [Fact]
    public async Task With_nobody_eligible_the_fallback_owner_gets_the_lead_and_without_one_it_waits_in_the_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var (ana, fran, sam) = (await server.HireAsync("Ana"), await server.HireAsync("Fran"), await server.HireAsync("Sam"));
        var withFallback = await api.CreateTeamAsync("Enterprise", [ana], manager: sam, fallback: fran);
        var withoutFallback = await api.CreateTeamAsync("SMB", [ana], manager: sam);
        await api.CreateRuleAsync("Big", withFallback, conditions: [new { field = "companySize", @operator = "equals", value = "1000+" }]);
        await api.CreateRuleAsync("Small", withoutFallback, conditions: [new { field = "companySize", @operator = "exists" }]);
        await api.SetRepAsync(ana, new { active = false });
        var big = (await api.CaptureLeadAsync(new { email = "cio@big.io", companySize = "1000+" })).Id();
        var small = (await api.CaptureLeadAsync(new { email = "ceo@small.io", companySize = "1-10" })).Id();
        var nowhere = (await api.CaptureLeadAsync(new { email = "who@nowhere.io" })).Id();

        await api.QualifyAsync(big);
        await api.QualifyAsync(small);
        await api.QualifyAsync(nowhere);

        Assert.Equal(fran, await server.OwnerOfAsync(big));
        Assert.Contains("skipped Ana (inactive); nobody eligible; gave it to the team's fallback owner Fran",
            (await api.RoutingOfAsync(big)).GetProperty("latest").GetProperty("explanation").GetString());
        Assert.Null(await server.OwnerOfAsync(small));
        Assert.Null(await server.OwnerOfAsync(nowhere));
        var queue = await api.GetJsonAsync("/api/v1/routing/queue");
        Assert.Equal(new[] { small, nowhere }, queue.EnumerateArray().Select(q => q.GetProperty("personId").GetInt64()));
        Assert.Contains("no rule matched: rule 1 'Big' did not match (companySize equals 1000+)", queue[1].GetProperty("reason").GetString());
        var alerts = await server.Database.ReadAsync(c => c.QueryAsync<(long PersonId, long? UserId)>(
            "SELECT person_id, user_id FROM notifications WHERE event = 'lead.unassigned' ORDER BY person_id"), ct);
        Assert.Equal([(small, (long?)sam), (nowhere, null)], alerts);

        // Taking a queued lead by hand empties its place in the queue.
        (await api.PutAsJsonAsync($"/api/v1/people/{small}/owner", new { userId = fran, note = "I know them" }, ct)).EnsureSuccessStatusCode();
        Assert.Equal(fran, await server.OwnerOfAsync(small));
        Assert.Single((await api.GetJsonAsync("/api/v1/routing/queue")).EnumerateArray());
        // Disqualifying a waiting lead takes it out of the queue.
        (await api.MoveStageAsync(nowhere, "Disqualified", "spam")).EnsureSuccessStatusCode();
        Assert.Empty((await api.GetJsonAsync("/api/v1/routing/queue")).EnumerateArray());
    }

    [Fact]
    public async Task Reassigning_gives_the_lead_to_the_next_eligible_rep_and_never_back_to_the_current_owner()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var (ana, ben) = (await server.HireAsync("Ana"), await server.HireAsync("Ben"));
        var team = await api.CreateTeamAsync("Inbound", [ana, ben]);
        await api.CreateRuleAsync("Everyone", team);
        var lead = await api.QualifyAsync((await api.CaptureLeadAsync(new { email = "slow@acme.io" })).Id());
        Assert.Equal(ana, await server.OwnerOfAsync(lead));
        var reassign = server.Services.GetRequiredService<IReassignLeads>();
        var consequences = server.Services.GetRequiredService<Consequences>();

        var first = await consequences.WriteAsync((c, tx) => reassign.ReassignAsync(c, tx, lead, ana, "first touch SLA breached", Actor.System("sla")), ct);
        await api.SetRepAsync(ana, new { active = false });
        var second = await consequences.WriteAsync((c, tx) => reassign.ReassignAsync(c, tx, lead, ben, "breached again", Actor.System("sla")), ct);

        Assert.Equal(ben, first);
        Assert.Null(second); // Ana is inactive and Ben has it: nobody else, so it stays with Ben
        Assert.Equal(ben, await server.OwnerOfAsync(lead));
        var latest = (await api.RoutingOfAsync(lead)).GetProperty("latest");
        Assert.Equal("reassign", latest.GetProperty("trigger").GetString());
        Assert.StartsWith("first touch SLA breached; rule 1 'Everyone' matched", latest.GetProperty("explanation").GetString());
        Assert.Equal(ana, latest.GetProperty("previousUserId").GetInt64());
    }

    [Fact]
    public async Task Account_owner_rule_keeps_an_account_with_its_rep()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var (ana, ben, olga) = (await server.HireAsync("Ana"), await server.HireAsync("Ben"), await server.HireAsync("Olga"));
        var team = await api.CreateTeamAsync("Named accounts", [ana, ben]);
        await api.CreateRuleAsync("Known accounts", team, method: "accountOwner");
        var first = (await api.CaptureLeadAsync(new { email = "one@globex.com", company = "Globex" })).Id();
        var accountId = (await api.GetJsonAsync($"/api/v1/people/{first}")).GetProperty("account").GetProperty("id").GetInt64();
        (await api.PutAsJsonAsync($"/api/v1/accounts/{accountId}/owner", new { userId = olga }, ct)).EnsureSuccessStatusCode();

        await api.QualifyAsync(first);

        Assert.Equal(olga, await server.OwnerOfAsync(first));
        Assert.Contains("Olga owns account Globex", (await api.RoutingOfAsync(first)).GetProperty("latest").GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task Malformed_rules_and_rep_settings_are_problems_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var ana = await server.HireAsync("Ana");
        var team = await api.CreateTeamAsync("T", [ana]);

        var badField = await api.PostAsJsonAsync("/api/v1/routing/rules",
            new { name = "x", teamId = team, conditions = new[] { new { field = "shoeSize", @operator = "equals", value = "9" } } }, ct);
        var badMethod = await api.PostAsJsonAsync("/api/v1/routing/rules", new { name = "x", teamId = 999, method = "lottery" }, ct);
        var badZone = await api.PutAsJsonAsync($"/api/v1/routing/reps/{ana}", new { timeZone = "Mars/Olympus", workingHours = new { mon = new[] { "9-5" } } }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, badField.StatusCode);
        Assert.Contains("shoeSize", (await badField.ProblemAsync()).GetProperty("errors").GetProperty("conditions[0]")[0].GetString());
        var methodErrors = (await badMethod.ProblemAsync()).GetProperty("errors");
        Assert.True(methodErrors.TryGetProperty("method", out _));
        Assert.True(methodErrors.TryGetProperty("teamId", out _));
        var zoneErrors = (await badZone.ProblemAsync()).GetProperty("errors");
        Assert.True(zoneErrors.TryGetProperty("timeZone", out _));
        Assert.True(zoneErrors.TryGetProperty("workingHours", out _));
        Assert.Empty((await api.GetJsonAsync("/api/v1/routing/rules")).EnumerateArray());
    }

    [Fact]
    public async Task The_stored_rotation_stays_fair_while_a_rep_is_away_and_after_she_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        var reps = new[] { await server.HireAsync("Ana"), await server.HireAsync("Ben"), await server.HireAsync("Cleo") };
        await api.CreateRuleAsync("Everyone", await api.CreateTeamAsync("Inbound", reps));
        (await api.PostAsJsonAsync($"/api/v1/routing/reps/{reps[0]}/time-off",
            new { startsAt = clock.GetUtcNow().AddHours(1), endsAt = clock.GetUtcNow().AddHours(2) }, ct)).EnsureSuccessStatusCode();

        async Task<long[]> RouteAsync(int count, string phase)
        {
            var owners = new List<long>();
            for (var i = 0; i < count; i++)
                owners.Add(Assert.NotNull(await server.OwnerOfAsync(await api.QualifyAsync((await api.CaptureLeadAsync(new { email = $"{phase}{i}@acme.io" })).Id()))));
            return owners.ToArray();
        }
        var before = await RouteAsync(7, "before");
        clock.Advance(TimeSpan.FromMinutes(90)); // Ana is out of office
        var away = await RouteAsync(6, "away");
        clock.Advance(TimeSpan.FromHours(1)); // and back
        var after = await RouteAsync(9, "after");

        Assert.Equal([reps[0], reps[1], reps[2], reps[0], reps[1], reps[2], reps[0]], before);
        Assert.Equal([reps[1], reps[2], reps[1], reps[2], reps[1], reps[2]], away);
        Assert.Equal(3, after.Count(o => o == reps[0])); // she rejoins the cycle in her place: no catch-up burst, no reset
        Assert.Equal([reps[0], reps[1], reps[2]], after.Take(3));
        var skipped = await server.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT explanation FROM routing_decisions ORDER BY id"), ct);
        Assert.Contains(skipped.Skip(7).Take(6), e => e.Contains("skipped Ana (out of office until 2026-11-02 11:00 UTC)"));
    }

    [Fact]
    public async Task Working_hours_in_the_reps_time_zone_and_the_daily_quota_decide_who_is_eligible()
    {
        // Monday 2026-11-02 09:00 UTC = 18:00 in Tokyo, 10:00 in Berlin.
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        var (kenji, ana, ben) = (await server.HireAsync("Kenji"), await server.HireAsync("Ana"), await server.HireAsync("Ben"));
        var weekdays = new { mon = new[] { "09:00-17:00" }, tue = new[] { "09:00-17:00" } };
        await api.SetRepAsync(kenji, new { timeZone = "Asia/Tokyo", workingHours = weekdays });
        await api.SetRepAsync(ana, new { timeZone = "Europe/Berlin", workingHours = weekdays, dailyQuota = 1 });
        await api.SetRepAsync(ben, new { timeZone = "Europe/Berlin", workingHours = weekdays });
        await api.CreateRuleAsync("Business hours", await api.CreateTeamAsync("Global", [kenji, ana, ben]), respectWorkingHours: true);
        var leads = new List<long>();
        async Task<long?> NextAsync(string email)
        {
            leads.Add(await api.QualifyAsync((await api.CaptureLeadAsync(new { email })).Id()));
            return await server.OwnerOfAsync(leads[^1]);
        }

        var first = await NextAsync("one@acme.io");
        var second = await NextAsync("two@acme.io");
        var secondAgain = await NextAsync("two-b@acme.io");
        clock.Set(new DateTimeOffset(2026, 11, 3, 1, 0, 0, TimeSpan.Zero)); // Tuesday 10:00 in Tokyo, 02:00 in Berlin
        var third = await NextAsync("three@acme.io");
        clock.Set(new DateTimeOffset(2026, 11, 3, 8, 0, 0, TimeSpan.Zero)); // Tuesday 09:00 in Berlin: a new day for Ana's quota
        var fourth = await NextAsync("four@acme.io");

        Assert.Equal(ana, first);
        Assert.Equal(ben, second); // Ana reached her quota of 1 today
        Assert.Equal(ben, secondAgain); // Kenji is after hours, Ana at quota: Ben takes it again
        Assert.Equal(kenji, third);
        Assert.Equal(ana, fourth);
        var why = (await api.RoutingOfAsync(leads[2])).GetProperty("latest").GetProperty("explanation").GetString();
        Assert.EndsWith("skipped Kenji (outside working hours), Ana (daily quota reached (1/1)); chose Ben", why);
    }

    [Fact]
    public async Task A_dry_run_says_who_would_get_the_lead_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var (ana, ben) = (await server.HireAsync("Ana"), await server.HireAsync("Ben"));
        await api.CreateRuleAsync("Everyone", await api.CreateTeamAsync("Inbound", [ana, ben]));
        var lead = (await api.CaptureLeadAsync(new { email = "maybe@acme.io" })).Id();

        var dry = await api.PostAsync($"/api/v1/people/{lead}/route?dryRun=true", null, ct);
        await dry.EnsureSuccessWithBodyAsync();
        var wouldBe = await dry.Content.ReadFromJsonAsync<JsonElement>(ct);
        var real = await api.PostAsync($"/api/v1/people/{lead}/route", null, ct);

        Assert.Equal("rule 1 'Everyone' matched; team Inbound; round robin; chose Ana", wouldBe.GetProperty("explanation").GetString());
        Assert.Equal(0, wouldBe.GetProperty("id").GetInt64());
        await real.EnsureSuccessWithBodyAsync();
        Assert.Equal(ana, await server.OwnerOfAsync(lead)); // the dry run did not use up Ana's turn
        Assert.Single((await api.RoutingOfAsync(lead)).GetProperty("decisions").EnumerateArray());
    }

    [Fact]
    public async Task A_rule_added_after_a_catch_all_goes_before_it_so_it_can_match()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var team = await api.CreateTeamAsync("Inbound", [await server.HireAsync("Riley")]);

        await api.CreateRuleAsync("Everyone else", team);
        await api.CreateRuleAsync("DACH", team, conditions: [new { field = "country", @operator = "in", values = new[] { "DE", "AT", "CH" } }]);
        await api.CreateRuleAsync("Everyone else, again", team);

        var order = (await api.GetJsonAsync("/api/v1/routing/rules")).EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["DACH", "Everyone else", "Everyone else, again"], order);
    }
}

public sealed class RoutingApiTestsOnSqlite() : RoutingApiTests(DatabaseProvider.Sqlite);

public sealed class RoutingApiTestsOnPostgres() : RoutingApiTests(DatabaseProvider.Postgres);
