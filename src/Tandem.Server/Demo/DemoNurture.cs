using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Email;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Nurture;
using Tandem.Server.Activities;
using Tandem.Server.Email;
using Tandem.Server.Hosting;
using Tandem.Server.Lifecycle;
using Tandem.Server.Nurture;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Demo;

/// <summary>
/// The demo's email marketing: Lumen's sender settings, five templates, and two running programs — a welcome series
/// for new leads and a re-engagement series for recycled ones — with eight weeks of history (sends, opens, clicks,
/// replies, unsubscribes, bounces, tasks, hand-offs, a holdout), so the program figures and the person pages are not
/// empty. Only history is written: every send is in status 'sent' with sent_at in the past. The steps still due are
/// left to the scheduler, which queues them; without an SMTP host the sender never sends them (see docs/nurture.md).
/// </summary>
internal static partial class DemoNurture
{
    public const string WelcomeName = "Welcome series";
    public const string ReengagementName = "Re-engagement";
    private const string From = "hello@lumen.example";

    private sealed record Template(string Key, string Name, string Topic, string Subject, string Preheader, string Body);

    private static readonly Template[] Templates =
    [
        new("welcome", "Welcome – 1. Hello from Lumen", "product", "Welcome to Lumen, {{firstName | default: \"there\"}}",
            "Three things worth doing in your first week.",
            "Hi {{firstName | default: \"there\"}},\n\nThanks for getting in touch. Lumen watches your data pipelines so your team hears about a broken " +
            "dashboard before the board meeting does.\n\nThree things worth doing in your first week:\n\n1. Connect one warehouse — it takes ten minutes.\n" +
            "2. Pick the five tables {{company | default: \"your team\"}} cares about most.\n3. Set a freshness SLA on each.\n\n" +
            "[Start with the quick-start guide](https://lumen.example/docs/quick-start)\n\n{{owner.signature}}"),
        new("guide", "Welcome – 2. The data SLA guide", "product", "The guide: data SLAs that hold",
            "A 12-page playbook from teams who stopped firefighting.",
            "Hi {{firstName | default: \"there\"}},\n\nMost data incidents are found by the people reading the dashboard. Our guide shows how teams like " +
            "yours set **freshness, volume and schema SLAs** and who gets paged when one slips.\n\n" +
            "[Download the guide](https://lumen.example/guides/data-sla)\n\nIt takes 15 minutes to read and is yours to share.\n\n{{owner.signature}}"),
        new("case-study", "Welcome – 3. Case study", "product", "How Northwind cut data incidents by 70%",
            "From 30 broken dashboards a month to nine.",
            "Hi {{firstName | default: \"there\"}},\n\nNorthwind's analytics team used to learn about stale data from their CFO. Six weeks after " +
            "connecting Lumen, incidents were down 70% and every one had an owner.\n\n" +
            "[Read the case study](https://lumen.example/customers/northwind)\n\nIf it sounds like {{company | default: \"your team\"}}, just reply " +
            "and I will set up a call.\n\n{{owner.signature}}"),
        new("still-interested", "Re-engagement – 1. Still interested?", "newsletter", "Still thinking about data reliability, {{firstName | default: \"there\"}}?",
            "A lot has changed since we last spoke.",
            "Hi {{firstName | default: \"there\"}},\n\nWe last spoke a while ago and the timing was not right. Since then Lumen has added lineage-aware " +
            "alerts and a free tier for up to 50 tables.\n\n[See what is new](https://lumen.example/whats-new)\n\n" +
            "If now is a better time, reply to this email and I will find a slot that suits you.\n\n{{owner.signature}}"),
        new("last-chance", "Re-engagement – 2. Last chance", "newsletter", "Should we stop writing, {{firstName | default: \"there\"}}?",
            "One click tells us either way.",
            "Hi {{firstName | default: \"there\"}},\n\nWe do not want to crowd your inbox. If data reliability is still on " +
            "{{company | default: \"your\"}} roadmap this year, [book 20 minutes here](https://lumen.example/demo) and we will keep you posted.\n\n" +
            "Otherwise this is the last email in this series — no hard feelings.\n\n{{owner.signature}}"),
    ];

    // Settable properties rather than a positional record: Dapper picks a record's constructor by the column types before
    // reading a row, and SQLite reports an aggregate (MAX(...) AS since) as a blob when there is no row to look at, so an
    // empty answer (a small demo with nobody recycled) failed instead of giving no candidates.
    private sealed class Candidate
    {
        public long Id { get; set; }
        public string Email { get; set; } = "";
        public string? FirstName { get; set; }
        public string? Company { get; set; }
        public long Since { get; set; }
    }

    /// <summary>Across the whole history, so even a small demo shows each kind of outcome at least once.</summary>
    private sealed class Counters
    {
        public int Sends;
        public int Opens;
        public bool Bounced;
        public bool Unsubscribed;
        public bool Replied;
    }

    /// <summary>Settings, templates, the two programs and their history; inside the seed's transaction, before owners and SLA history.</summary>
    public static async Task SeedAsync(DbConnection c, DbTransaction tx, MoveStage moveStage, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        await new EmailSettings("Lumen", From, "team@lumen.example", "Lumen Cloud, Inc. · 100 Example Street, Suite 400 · Springfield, OR 97477",
            RequireOptIn: false, FrequencyCap.Parse("3/7"), "Lumen", "#2f6fde").WriteAsync(c, tx);
        var templates = new Dictionary<string, (long Id, Template T)>();
        foreach (var t in Templates)
            templates[t.Key] = (await c.ExecuteScalarAsync<long>(
                "INSERT INTO email_templates (name, kind, topic, subject, preheader, body_markdown, created_at, updated_at) " +
                "VALUES (@Name, 'marketing', @Topic, @Subject, @Preheader, @Body, @at, @at) RETURNING id",
                new { t.Name, t.Topic, t.Subject, t.Preheader, t.Body, at = at - TimeSpan.FromDays(70).Ticks / TimeSpan.TicksPerMillisecond }, tx), t);

        var welcome = await ProgramAsync(c, tx, WelcomeName, "welcome", new
        {
            // New leads: those who submit a form, and those who become a Lead from now on (the filter's createdAfter keeps
            // the sweep from enrolling the demo's existing leads all at once).
            entry = new { filter = new { stage = "Lead", createdAfter = now.ToString("O") }, events = new object[] { new { type = "formSubmitted" } } },
            steps = new object[]
            {
                new { key = "welcome", type = "email", templateId = templates["welcome"].Id },
                new { key = "pause", type = "wait", duration = "2d" },
                new { key = "guide", type = "email", templateId = templates["guide"].Id },
                new { key = "settle", type = "wait", duration = "3d" },
                new Dictionary<string, object> { ["key"] = "clicked", ["type"] = "branch", ["if"] = new { email = "clicked", of = "any" }, ["then"] = "call", ["else"] = "story" },
                new { key = "call", type = "task", title = "Call {{firstName | default: \"them\"}} at {{company | default: \"their company\"}}: clicked the welcome series", dueInHours = 24, next = "done" },
                new { key = "story", type = "email", templateId = templates["case-study"].Id },
                new { key = "done", type = "exit", reason = "welcome series over" },
            },
            exits = new[] { "becameMql", "acceptedBySales", "replied", "unsubscribed", "bounced" },
            sendWindow = new { days = Weekdays, from = "09:00", to = "17:00" },
            holdoutPercent = 10,
        }, at);
        var reengage = await ProgramAsync(c, tx, ReengagementName, "re-engagement", new
        {
            entry = new { events = new object[] { new { type = "recycled", reason = "not-ready" }, new { type = "recycled", reason = "bad-timing" }, new { type = "recycled", reason = "no-response" } } },
            steps = new object[]
            {
                new { key = "still-interested", type = "email", templateId = templates["still-interested"].Id },
                new { key = "pause", type = "wait", businessDays = 5 },
                new { key = "last-chance", type = "email", templateId = templates["last-chance"].Id },
                new { key = "grace", type = "wait", businessDays = 3 },
                new Dictionary<string, object> { ["key"] = "engaged", ["type"] = "branch", ["if"] = new { score = "engagement", atLeast = 40 }, ["then"] = "handoff", ["else"] = "close" },
                new { key = "close", type = "exit", reason = "no response to re-engagement" },
                new { key = "handoff", type = "handToSales" },
            },
            exits = new[] { "becameMql", "acceptedBySales", "replied", "unsubscribed", "bounced" },
            sendWindow = new { days = Weekdays, from = "09:00", to = "17:00" },
            holdoutPercent = 10,
        }, at);

        var random = new Random(20261203);
        var counters = new Counters();
        var from = at - (long)TimeSpan.FromDays(56).TotalMilliseconds;
        // Leads who came in over the last eight weeks; the welcome series started then, so about one in six went through it.
        var leads = (await c.QueryAsync<Candidate>(
            "SELECT p.id, p.email, p.first_name, p.company, p.created_at AS since FROM people p WHERE p.merged_into_id IS NULL AND p.email IS NOT NULL " +
            "AND p.do_not_email = 0 AND p.unsubscribed = 0 AND p.created_at >= @from AND p.created_at < @at " +
            "AND EXISTS (SELECT 1 FROM stage_changes s WHERE s.person_id = p.id AND s.to_stage = 'Lead') ORDER BY p.id", new { from, at }, tx)).ToList();
        var share = Math.Max(0.17, Math.Min(1, 40.0 / Math.Max(1, leads.Count)));
        foreach (var lead in leads.Where(_ => random.NextDouble() < share))
            await WelcomeAsync(c, tx, welcome, templates, lead, random, counters, now);
        // People sales recycled with a reason over the same weeks; most of them entered the re-engagement series.
        var recycled = (await c.QueryAsync<Candidate>(
            "SELECT p.id, p.email, p.first_name, p.company, MAX(s.changed_at) AS since FROM people p JOIN stage_changes s ON s.person_id = p.id " +
            "WHERE p.merged_into_id IS NULL AND p.email IS NOT NULL AND p.do_not_email = 0 AND p.unsubscribed = 0 AND p.stage = 'Recycled' " +
            "AND s.to_stage = 'Recycled' AND s.reason_code IS NOT NULL AND s.changed_at >= @from AND s.changed_at < @at " +
            "GROUP BY p.id, p.email, p.first_name, p.company ORDER BY p.id", new { from, at }, tx)).ToList();
        foreach (var person in recycled.Where(_ => random.NextDouble() < 0.8))
            await ReengageAsync(c, tx, moveStage, reengage, templates, person, random, counters, now);
    }

    /// <summary>After owners are assigned: the tasks the welcome series created belong to the lead's owner, as the step gives them.</summary>
    public static Task AssignTaskOwnersAsync(DbConnection c, DbTransaction tx) =>
        c.ExecuteAsync("UPDATE tasks SET owner_id = (SELECT p.owner_id FROM people p WHERE p.id = tasks.person_id) WHERE created_from LIKE 'nurture:%' AND owner_id IS NULL", transaction: tx);

    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    /// <summary>Checked as the API checks a definition, then created and published as version 1, active.</summary>
    private static async Task<(ProgramRow Row, ProgramDefinition Definition)> ProgramAsync(DbConnection c, DbTransaction tx, string name, string kind, object definition, long at)
    {
        var draft = Json.Write(definition);
        var v = new Validation();
        var parsed = await ManagePrograms.CheckAsync(c, tx, draft, v)
            ?? throw new InvalidOperationException($"The demo program '{name}' is not valid: " + string.Join("; ", v.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        var created = at - (long)TimeSpan.FromDays(57).TotalMilliseconds;
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO nurture_programs (name, kind, status, draft, current_version, entry_events, has_filter, created_at, updated_at) " +
            "VALUES (@name, @kind, 'active', @draft, 1, @events, @hasFilter, @created, @created) RETURNING id",
            new { name, kind, draft, events = Json.Write(parsed.Entry.Events.Select(e => e.Type.ToString()).Distinct().Order().ToList()), hasFilter = parsed.Entry.HasFilter ? 1L : 0L, created }, tx);
        await c.ExecuteAsync("INSERT INTO nurture_program_versions (program_id, version, definition, published_at, published_by) VALUES (@id, 1, @draft, @created, 'Maya Chen')",
            new { id, draft, created }, tx);
        return ((await NurturePrograms.FindAsync(c, tx, id))!, parsed);
    }

    private static async Task WelcomeAsync(DbConnection c, DbTransaction tx, (ProgramRow Row, ProgramDefinition Definition) program,
        Dictionary<string, (long Id, Template T)> templates, Candidate lead, Random random, Counters counters, DateTimeOffset now)
    {
        var walk = new Walk(c, tx, program.Row, lead, random, counters, now);
        await walk.EnterAsync(DateTimeOffset.FromUnixTimeMilliseconds(lead.Since).AddMinutes(1), "event:formSubmitted");
        var engagement = random.NextDouble();
        await walk.EmailAsync("welcome", templates["welcome"], engagement);
        await walk.WaitAsync("pause", TimeSpan.FromDays(2));
        await walk.ExitIfProgressedAsync(walk.At);
        await walk.EmailAsync("guide", templates["guide"], engagement);
        await walk.WaitAsync("settle", TimeSpan.FromDays(3));
        await walk.ExitIfProgressedAsync(walk.At);
        if (!await walk.DueAsync("clicked")) return;
        await walk.RunAsync("clicked", walk.Clicked ? "then" : "else", walk.Clicked ? "to call" : "to story");
        if (walk.Clicked)
        {
            // The owner is filled in once the demo's owners are assigned (AssignTaskOwnersAsync); older tasks were done.
            var created = walk.At.ToUnixTimeMilliseconds();
            var done = now - walk.At > TimeSpan.FromDays(4) && random.NextDouble() < 0.75;
            await c.ExecuteAsync("INSERT INTO tasks (person_id, owner_id, title, due_at, created_from, created_at, completed_at, completed_by) " +
                                 "VALUES (@Id, NULL, @title, @due, @from, @created, @completed, @by)",
                new
                {
                    lead.Id, title = $"Call {lead.FirstName ?? "them"} at {lead.Company ?? "their company"}: clicked the welcome series", due = created + 24 * 3_600_000L,
                    from = $"nurture:{program.Row.Id}:call", created, completed = done ? created + (long)(random.NextDouble() * 30 * 3_600_000) : (long?)null,
                    by = done ? "owner" : null,
                }, tx);
            await walk.RunAsync("call", "done", null);
        }
        else
        {
            await walk.EmailAsync("story", templates["case-study"], engagement);
            if (walk.Ended is not null) return;
        }
        await walk.RunAsync("done", "done", "welcome series over");
        await walk.ExitAsync(EnrollmentStatus.Completed, ExitReasons.ExitStep, walk.At);
    }

    private static async Task ReengageAsync(DbConnection c, DbTransaction tx, MoveStage moveStage, (ProgramRow Row, ProgramDefinition Definition) program,
        Dictionary<string, (long Id, Template T)> templates, Candidate person, Random random, Counters counters, DateTimeOffset now)
    {
        var walk = new Walk(c, tx, program.Row, person, random, counters, now);
        await walk.EnterAsync(DateTimeOffset.FromUnixTimeMilliseconds(person.Since).AddMinutes(1), "event:Recycled");
        var engagement = random.NextDouble() * 0.8;
        await walk.EmailAsync("still-interested", templates["still-interested"], engagement);
        await walk.WaitAsync("pause", BusinessDays(walk.At, 5));
        await walk.EmailAsync("last-chance", templates["last-chance"], engagement);
        await walk.WaitAsync("grace", BusinessDays(walk.At, 3));
        if (!await walk.DueAsync("engaged")) return;
        // Engagement 40 and up: those who clicked and read on; the rest are let go.
        var hot = walk.Clicked && walk.Opened;
        await walk.RunAsync("engaged", hot ? "then" : "else", hot ? "to handoff" : "to close");
        if (!hot)
        {
            await walk.RunAsync("close", "done", "no response to re-engagement");
            await walk.ExitAsync(EnrollmentStatus.Completed, ExitReasons.ExitStep, walk.At);
            return;
        }
        var row = (await PersonStore.FindAsync(c, tx, person.Id))!;
        await moveStage.MoveAsync(c, tx, row, new StageMove(Stage.MQL, Actor.Rule($"nurture:{program.Row.Id}", $"Program {program.Row.Name}"), walk.At.ToUnixTimeMilliseconds(),
            null, $"Handed to sales by program {program.Row.Name}"));
        await PersonStore.UpdateAsync(c, tx, row);
        await walk.RunAsync("handoff", "done", null);
        await walk.ExitAsync(EnrollmentStatus.Exited, ExitReasons.BecameMql, walk.At);
    }

    private static TimeSpan BusinessDays(DateTimeOffset from, int days)
    {
        var to = from;
        for (var added = 0; added < days;)
        {
            to = to.AddDays(1);
            if (to.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) added++;
        }
        return to - from;
    }

    /// <summary>The next instant inside the weekday 09:00–17:00 (UTC) window, a few minutes in, as a send window releases a step.</summary>
    private static DateTimeOffset SendWindow(DateTimeOffset at, Random random)
    {
        var t = at.UtcDateTime;
        while (t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || t.Hour is < 9 or >= 17)
            t = t.Hour >= 17 || t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? t.Date.AddDays(1).AddHours(9) : t.Date.AddHours(9);
        return t == at.UtcDateTime ? at : new DateTimeOffset(t, TimeSpan.Zero).AddMinutes(random.Next(0, 40));
    }
}
