using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Tandem.Bench.Kit;
using Tandem.Bench.Nurture;
using Tandem.Server.Email;
using Tandem.Server.Hosting;
using Tandem.Server.Nurture;
using Tandem.Server.Security;
using Tandem.Server.Storage;

// Nurture at scale. (1) N people enter a program at once — its filter matches them when it is published — and the
// clock runs until the local SMTP server has accepted every first email: emails/s, beside a raw MailKit loop sending
// the same number of messages of the same size to the same server in the same run. (2) The scheduler's cost per tick
// with 10,000 and with 1,000,000 enrollments waiting: it must not grow with them.
//   dotnet run -c Release --project bench/Tandem.Bench.Nurture -- [--postgres CONNSTR] [--out DIR] [--quick]
var arguments = BenchArguments.Parse(args);
var people = arguments.Quick ? 2_000 : 100_000;
int[] waiting = arguments.Quick ? [1_000, 20_000] : [10_000, 1_000_000];
const int duePerTick = 100;

var report = new BenchReport("nurture", arguments);
report.Setting("people", people);
report.Setting("duePerTick", duePerTick);
await using var sink = new SmtpSink();

var results = new List<(string Engine, double Rate)>();
foreach (var target in arguments.Targets())
{
    var run = await Throughput.RunAsync(target, sink, people);
    // The raw loop right after Tandem's run, with messages of the size Tandem's were, so both meet the same sink in the same state.
    var raw = await RawMailKit.RunAsync(sink.Port, people, (int)run.AverageBytes);
    report.Row(new()
    {
        ["engine"] = target.Name,
        ["scenario"] = $"{people:N0} enter at once",
        ["enrolled after s"] = Math.Round(run.EnrolledSeconds, 2),
        ["all sent after s"] = Math.Round(run.AllSentSeconds, 2),
        ["emails/s"] = Math.Round(run.EmailsPerSecond),
        ["raw MailKit/s"] = Math.Round(raw),
        ["ratio"] = Math.Round(run.EmailsPerSecond / raw, 3),
        ["server CPU s"] = Math.Round(run.ServerCpuSeconds, 1),
        ["server MiB"] = Math.Round(run.ServerMiB),
    });
    report.Target(target.Name, "emails/s", "≥ 500", run.EmailsPerSecond, run.EmailsPerSecond >= 500);
    report.Target(target.Name, "ratio to raw MailKit", "≥ 0.8", run.EmailsPerSecond / raw, run.EmailsPerSecond / raw >= 0.8);

    var ticks = await TickCost.RunAsync(target, waiting, duePerTick);
    foreach (var t in ticks)
        report.Row(new()
        {
            ["engine"] = target.Name,
            ["scenario"] = $"tick, {t.Waiting:N0} waiting",
            ["empty tick ms"] = Math.Round(t.EmptyTickMs, 2),
            ["tick of 100 due ms"] = Math.Round(t.DueTickMs, 1),
        });
    var (small, large) = (ticks[0], ticks[^1]);
    report.Target(target.Name, $"tick of {duePerTick} due, {large.Waiting:N0} vs {small.Waiting:N0} waiting", "≤ 1.5 × (does not grow)",
        large.DueTickMs / small.DueTickMs, large.DueTickMs <= 1.5 * small.DueTickMs);
}
await report.WriteAsync();
return 0;

namespace Tandem.Bench.Nurture
{
    internal sealed record ThroughputRun(double EnrolledSeconds, double AllSentSeconds, double EmailsPerSecond, double AverageBytes, double ServerCpuSeconds,
        double ServerMiB);

    /// <summary>A real server process, its nurture scheduler and email sender on, sending to the sink.</summary>
    internal static class Throughput
    {
        public static async Task<ThroughputRun> RunAsync(BenchTarget target, SmtpSink sink, int people)
        {
            Console.WriteLine($"[nurture] {target.Name}: {people:N0} people enter a program at once…");
            await using var server = await ServerProcess.StartAsync(target, "nurture", new Dictionary<string, string>
            {
                ["Tandem__Email__Smtp__Host"] = "127.0.0.1", ["Tandem__Email__Smtp__Port"] = sink.Port.ToString(), ["Tandem__Email__Smtp__Security"] = "None",
                ["Tandem__Email__TickMilliseconds"] = "50", ["Tandem__Nurture__TickSeconds"] = "0.2",
            });
            var key = await server.CreateKeyAsync(Scopes.Admin);
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            await Check(await http.PutAsJsonAsync("/api/v1/email/settings", new
            {
                fromName = "Bench", fromAddress = "news@bench.example", physicalAddress = "1 Bench Street, Springfield", requireOptIn = false, companyName = "Bench",
            }));
            var template = await Read(await http.PostAsJsonAsync("/api/v1/email/templates", new
            {
                name = "Welcome", kind = "marketing", topic = "newsletter", subject = "Welcome, {{firstName | default: \"there\"}}", preheader = "Three things to try first",
                bodyMarkdown = "Hi {{firstName | default: \"there\"}},\n\nThanks for signing up. Here are [three things](https://bench.example/guide) to try first, " +
                               "and the [pricing](https://bench.example/pricing) when you are ready.\n\nThe Bench team",
            }));
            await SeedPeopleAsync(server.Database, people, "enter", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var program = await Read(await http.PostAsJsonAsync("/api/v1/nurture/programs", new
            {
                name = "Welcome series", kind = "welcome",
                definition = JsonDocument.Parse($$"""
                    { "entry": { "filter": { "stage": "Lead" } },
                      "steps": [ { "key": "welcome", "type": "email", "templateId": {{template.GetProperty("id").GetInt64()}} },
                                 { "key": "pause", "type": "wait", "duration": "3d" },
                                 { "key": "end", "type": "exit" } ],
                      "exits": [ "becameMql", "unsubscribed", "bounced", "replied" ], "holdoutPercent": 0 }
                    """).RootElement,
            }));
            var before = sink.Accepted;
            var cpuBefore = server.CpuTime;
            var watch = Stopwatch.StartNew();
            await Check(await http.PostAsync($"/api/v1/nurture/programs/{program.GetProperty("id").GetInt64()}/publish", null));

            // The program's filter matches everyone seeded: the scheduler's sweep enrolls them, its ticks queue the emails, the sender hands them over.
            double? enrolled = null;
            var poll = Task.Run(async () =>
            {
                while (enrolled is null)
                {
                    var n = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nurture_enrollments"));
                    if (n >= people) enrolled = watch.Elapsed.TotalSeconds;
                    else await Task.Delay(250);
                }
            });
            await sink.WaitForAsync(before + people, TimeSpan.FromMinutes(30), () => $"{sink.Accepted - before:N0} of {people:N0} accepted after {watch.Elapsed.TotalSeconds:N0} s");
            var seconds = watch.Elapsed.TotalSeconds;
            await poll;
            var averageBytes = (double)sink.Bytes / Math.Max(1, sink.Accepted);
            var result = new ThroughputRun(enrolled ?? seconds, seconds, people / seconds, averageBytes, (server.CpuTime - cpuBefore).TotalSeconds, server.ResidentMiB);
            Console.WriteLine($"[nurture] {target.Name}: all {people:N0} first emails accepted after {seconds:N1} s ({result.EmailsPerSecond:N0}/s)");
            return result;
        }

        private static async Task Check(HttpResponseMessage response)
        {
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: " +
                                                    await response.Content.ReadAsStringAsync());
        }

        private static async Task<JsonElement> Read(HttpResponseMessage response)
        {
            await Check(response);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        /// <summary>People as an import leaves them: a Lead with an address and a first name, inserted set-based.</summary>
        public static Task SeedPeopleAsync(Database db, int count, string prefix, long now, int from = 1) => db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO people (email, first_name, stage, stage_changed_at, created_at, updated_at) " +
            "WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to) " +
            $"SELECT '{prefix}' || i || '@bench.example', 'Person' || i, 'Lead', @now, @now, @now FROM n",
            new { from, to = from + count - 1, now }, tx, commandTimeout: 600));
    }

    /// <summary>The engine's own speed: one MailKit connection sending messages of the given size, one after another.</summary>
    internal static class RawMailKit
    {
        public static async Task<double> RunAsync(int port, int count, int bytes)
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
            var html = "<p>" + new string('x', Math.Max(100, bytes / 2 - 200)) + "</p>";
            var text = new string('y', Math.Max(100, bytes / 4));
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                // Built per message, as a sender must: each carries its own recipient, Message-ID and links.
                var message = new MimeMessage { Subject = $"Welcome, Person{i}", MessageId = $"raw-{i}@bench.example" };
                message.From.Add(new MailboxAddress("Bench", "news@bench.example"));
                message.To.Add(new MailboxAddress(null, $"raw{i}@bench.example"));
                message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
                await client.SendAsync(message);
            }
            var rate = count / watch.Elapsed.TotalSeconds;
            await client.DisconnectAsync(true);
            Console.WriteLine($"[nurture] raw MailKit loop: {count:N0} messages of ~{bytes:N0} bytes at {rate:N0}/s");
            return rate;
        }
    }

    internal sealed record TickRun(int Waiting, double EmptyTickMs, double DueTickMs);

    /// <summary>The scheduler in-process, its loop off, ticked by hand with ever more enrollments waiting.</summary>
    internal static class TickCost
    {
        public static async Task<List<TickRun>> RunAsync(BenchTarget target, int[] waitingCounts, int duePerTick)
        {
            var dataDir = Path.Combine(Path.GetTempPath(), "tandem-bench", "nurture-tick-" + Guid.NewGuid().ToString("N")[..12]);
            var connectionString = await target.CreateEmptyDatabaseAsync(dataDir, "tick");
            var app = TandemApp.Build([], new Dictionary<string, string?>
            {
                ["Tandem:DataDir"] = dataDir, ["Tandem:Database:Provider"] = target.Name, ["Tandem:Database:ConnectionString"] = connectionString,
                ["Tandem:Nurture:SchedulerEnabled"] = "false", ["Tandem:Email:SenderEnabled"] = "false", ["Tandem:Sla:SchedulerEnabled"] = "false",
                ["Tandem:Email:Smtp:Host"] = "127.0.0.1", ["Tandem:Email:PublicUrl"] = "http://127.0.0.1:5080", ["Logging:LogLevel:Default"] = "Warning",
            });
            var db = app.Services.GetRequiredService<Database>();
            await new Migrator(db).MigrateAsync();
            var ticker = app.Services.GetRequiredService<NurtureTicker>();
            app.Services.GetRequiredService<EmailLinks>(); // what the server's start-up warm-up does: the signing key is read before any transaction
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var program = await db.WriteAsync(async (c, tx) =>
            {
                await new EmailSettings("Bench", "news@bench.example", null, "1 Bench Street", false, null, "Bench", null).WriteAsync(c, tx);
                var templateId = await c.ExecuteScalarAsync<long>(
                    "INSERT INTO email_templates (name, kind, topic, subject, preheader, body_markdown, created_at, updated_at) " +
                    "VALUES ('Welcome', 'marketing', 'newsletter', 'Welcome, {{firstName}}', NULL, 'Hi {{firstName}},\n\nWelcome.', @now, @now) RETURNING id", new { now }, tx);
                var definition = $$"""
                    { "entry": { "events": [ { "type": "formSubmitted" } ] },
                      "steps": [ { "key": "welcome", "type": "email", "templateId": {{templateId}} }, { "key": "pause", "type": "wait", "duration": "3d" },
                                 { "key": "end", "type": "exit" } ], "exits": [ "unsubscribed" ], "holdoutPercent": 0 }
                    """;
                var id = await c.ExecuteScalarAsync<long>(
                    "INSERT INTO nurture_programs (name, kind, status, draft, current_version, entry_events, has_filter, created_at, updated_at) " +
                    "VALUES ('Welcome', 'welcome', 'active', @definition, 1, '[\"formSubmitted\"]', 0, @now, @now) RETURNING id", new { definition, now }, tx);
                await c.ExecuteAsync("INSERT INTO nurture_program_versions (program_id, version, definition, published_at, published_by) VALUES (@id, 1, @definition, @now, 'bench')",
                    new { id, definition, now }, tx);
                return id;
            });

            var runs = new List<TickRun>();
            var seeded = 0;
            foreach (var waiting in waitingCounts)
            {
                Console.WriteLine($"[nurture] {target.Name}: {waiting:N0} enrollments waiting, ticking…");
                var add = waiting - seeded;
                await Throughput.SeedPeopleAsync(db, add, "wait", now, from: seeded + 1);
                // Waiting on the wait step, due in 30 days: what most of a large program's people are doing at any moment.
                await db.WriteAsync((c, tx) => c.ExecuteAsync(
                    "INSERT INTO nurture_enrollments (person_id, program_id, version, kind, status, current_step, due_at, entered_at, entered_by) " +
                    "SELECT id, @program, 1, 'welcome', 'active', 'welcome', @later, @now, 'bench' FROM people WHERE id > @after",
                    new { program, later = now + 30L * 86_400_000, now, after = (long)seeded }, tx, commandTimeout: 600));
                seeded = waiting;
                if (target.Provider == DatabaseProvider.Postgres) await db.WriteAsync((c, tx) => c.ExecuteAsync("ANALYZE", transaction: tx));

                var empty = new List<double>();
                var due = new List<double>();
                for (var round = 0; round < 5; round++)
                {
                    var watch = Stopwatch.StartNew();
                    await ticker.TickAsync();
                    empty.Add(watch.Elapsed.TotalMilliseconds);
                    // A hundred of them come due: their first email is queued and they move on to the wait.
                    var changed = await db.WriteAsync((c, tx) => c.ExecuteAsync(
                        "UPDATE nurture_enrollments SET due_at = @now WHERE id IN (SELECT id FROM nurture_enrollments WHERE current_step = 'welcome' AND due_at > @now " +
                        "ORDER BY id DESC LIMIT @duePerTick)", new { now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), duePerTick }, tx));
                    watch.Restart();
                    var result = await ticker.TickAsync();
                    due.Add(watch.Elapsed.TotalMilliseconds);
                    if (result.EmailsQueued != changed)
                        throw new InvalidOperationException($"A tick of {changed} due enrollments queued {result.EmailsQueued} emails.");
                }
                runs.Add(new TickRun(waiting, Median(empty), Median(due)));
            }
            await app.DisposeAsync();
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
            return runs;
        }

        private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }
}
