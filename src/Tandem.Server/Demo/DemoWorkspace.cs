using Dapper;
using Tandem.Domain.Capture;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Scoring;
using Tandem.Server.Activities;
using Tandem.Server.Campaigns;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using static Tandem.Server.Demo.DemoData;

namespace Tandem.Server.Demo;

/// <summary>
/// Seeds a demo workspace on first start: Lumen Cloud's few thousand people at a few hundred
/// accounts, campaigns across channels and 90 days of activity, so every screen has something real.
/// Deterministic: the same seed gives the same workspace.
/// </summary>
internal static class DemoWorkspace
{
    public const string SeededSetting = "demo_seeded_at";
    public const string KeyFile = "demo-key.txt";

    public static async Task EnsureSeededAsync(IServiceProvider services, CancellationToken ct, int people = 3000)
    {
        var db = services.GetRequiredService<Database>();
        var options = services.GetRequiredService<TandemOptions>();
        var clock = services.GetRequiredService<TimeProvider>();
        var seeded = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string>(
            "SELECT value FROM workspace_settings WHERE key = @SeededSetting", new { SeededSetting }), ct);
        if (seeded is null)
        {
            // The seed writes 90 days of history. Live reactions (scoring, routing, SLA clocks) would stamp that history
            // with today's time, so the seed runs without them; the demo's own SLA and routing history is written by
            // DemoSla and DemoRouting, and everyone is scored once at the end, as after a publish.
            var quiet = services.GetRequiredService<Consequences>().WithoutHandlers();
            await SeedAsync(quiet, services.GetRequiredService<PersonCapturer>(), services.GetRequiredService<MoveStage>(),
                services.GetRequiredService<Routing.AssignOwner>(), clock.GetUtcNow(), people, ct);
            // The seed writes 90 days of history directly; score everyone on it once, as a publish would.
            await Scoring.ScoringModule.RescoreEveryoneAsync(services, ct);
            await DemoStalls.SeedAsync(services, ct);
            await DemoPlan.SeedAsync(services, ct);
            var (_, key) = await services.GetRequiredService<ApiKeyStore>().CreateAsync("demo", [Scopes.Admin], ct);
            var path = Path.Combine(Path.GetFullPath(options.DataDir), KeyFile);
            await File.WriteAllTextAsync(path, key + Environment.NewLine, ct);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The demo key written on first start, if this data directory has one.</summary>
    public static string? ReadKey(string dataDir)
    {
        var path = Path.Combine(Path.GetFullPath(dataDir), KeyFile);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private static async Task SeedAsync(Consequences quiet, PersonCapturer capturer, MoveStage moveStage, Routing.AssignOwner assignOwner, DateTimeOffset now,
        int count, CancellationToken ct)
    {
        await quiet.WriteAsync(async (c, tx) =>
        {
            // Made inside the transaction: when PostgreSQL re-runs a transaction that lost a race, the re-run must draw
            // the same numbers, or the demo would differ from one start to the next.
            var random = new Random(20261122);
            var start = now.AddDays(-90);
            var actor = Actor.System("demo");
            var companyCount = Math.Clamp(count / 10, 20, CompanyWords.Length * CompanySuffixes.Length);
            var companies = Enumerable.Range(0, companyCount).Select(i =>
            {
                var name = $"{CompanyWords[i % CompanyWords.Length]} {CompanySuffixes[i / CompanyWords.Length % CompanySuffixes.Length]}";
                var domain = name.ToLowerInvariant().Replace(' ', '-') + (i % 3 == 0 ? ".io" : ".com");
                var industry = Industries[random.Next(Industries.Length)].Name;
                return (Name: name, Domain: domain, Industry: industry, Size: CompanySizes[random.Next(CompanySizes.Length)], Place: Places[random.Next(Places.Length)]);
            }).ToList();
            var at = now.ToUnixTimeMilliseconds();
            await DemoUsers.SeedAsync(c, tx, at);
            await DemoRouting.SeedRulesAsync(c, tx, at);
            var campaignIds = new List<long>();
            foreach (var campaign in DemoData.Campaigns)
            {
                var id = await CampaignStore.ResolveAsync(c, tx, campaign.UtmCampaign, campaign.Channel, start.ToUnixTimeMilliseconds());
                await c.ExecuteAsync("UPDATE campaigns SET name = @Name, channel = @Channel, cost_cents = @CostCents WHERE id = @id",
                    new { campaign.Name, campaign.Channel, campaign.CostCents, id }, tx);
                campaignIds.Add(id);
            }

            for (var i = 0; i < count; i++)
            {
                // A few big accounts with many people, a long tail with one or two.
                var company = companies[(int)(Math.Pow(random.NextDouble(), 1.8) * companies.Count)];
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = LastNames[random.Next(LastNames.Length)];
                var freeMail = random.NextDouble() < 0.18;
                var local = $"{Ascii(first)}.{Ascii(last)}{(i % 7 == 0 ? i.ToString() : "")}";
                var emailText = freeMail ? $"{local}{i}@{(i % 2 == 0 ? "gmail.com" : "outlook.com")}" : $"{local}@{company.Domain}";
                EmailAddress.TryParse(emailText, out var email);
                var createdAt = start.AddMinutes(random.NextDouble() * 90 * 24 * 60);
                var campaign = DemoData.Campaigns[PickCampaign(random)];
                var touch = new Attribution(Channel: campaign.Channel, UtmSource: campaign.UtmSource, UtmMedium: campaign.UtmMedium,
                    UtmCampaign: campaign.UtmCampaign, LandingPage: "https://lumen.example" + Pages[random.Next(Pages.Length)]);

                var outcome = await capturer.CaptureAsync(c, tx, new PersonCapture
                {
                    Email = email,
                    Fields = new Dictionary<string, string?>
                    {
                        [PersonFields.FirstName] = first, [PersonFields.LastName] = last,
                        [PersonFields.Company] = freeMail && random.NextDouble() < 0.5 ? null : company.Name,
                        [PersonFields.Title] = Titles[random.Next(Titles.Length)], [PersonFields.Country] = company.Place.Country,
                        [PersonFields.City] = company.Place.City, [PersonFields.Region] = company.Place.Region,
                        [PersonFields.Industry] = company.Industry, [PersonFields.CompanySize] = company.Size,
                        [PersonFields.Phone] = random.NextDouble() < 0.6 ? $"+1 555 {random.Next(100, 999)} {random.Next(1000, 9999)}" : null,
                    },
                    DoNotEmail = random.NextDouble() < 0.03,
                    Unsubscribed = random.NextDouble() < 0.04,
                    Touch = touch,
                    ObservedAt = createdAt,
                    InitialStage = random.NextDouble() < 0.25 ? Stage.Subscriber : Stage.Lead,
                }, actor);
                await c.ExecuteAsync("UPDATE people SET created_at = @t, stage_changed_at = @t WHERE id = @id",
                    new { t = createdAt.ToUnixTimeMilliseconds(), id = outcome.PersonId }, tx);
                await c.ExecuteAsync("UPDATE stage_changes SET changed_at = @t WHERE person_id = @id",
                    new { t = createdAt.ToUnixTimeMilliseconds(), id = outcome.PersonId }, tx);
                await c.ExecuteAsync("UPDATE activities SET occurred_at = @t, received_at = @t WHERE person_id = @id",
                    new { t = createdAt.ToUnixTimeMilliseconds(), id = outcome.PersonId }, tx);

                var campaignId = campaignIds[Array.IndexOf(DemoData.Campaigns, campaign)];
                var engagement = random.NextDouble();
                var events = 1 + (int)(engagement * engagement * 30);
                var when = createdAt;
                for (var e = 0; e < events && when < now; e++)
                {
                    var (type, props) = PickActivity(random);
                    await ActivityStore.AppendAsync(c, tx, new NewActivity(outcome.PersonId, null, type, when.ToUnixTimeMilliseconds(),
                        when.ToUnixTimeMilliseconds(), ActivitySources.Tracking, Json.Write(props), Channel: e == 0 ? campaign.Channel : null,
                        CampaignId: e == 0 ? campaignId : null));
                    when = when.AddHours(1 + random.NextDouble() * 72);
                }

                var person = (await PersonStore.FindAsync(c, tx, outcome.PersonId))!;
                await AdvanceAsync(c, tx, moveStage, person, engagement, random, createdAt, now, actor);
            }
            // SLA history first (it assigns MQLs as routing would have, with their clocks), then owners for the rest,
            // then the dispositions sales recorded, which name the owners.
            // The nurture history first: the re-engagement series handed some recycled people back to sales, and those
            // MQLs go through the SLA history like the others; its tasks take the owners once they are assigned.
            await DemoNurture.SeedAsync(c, tx, moveStage, now);
            await DemoSla.SeedAsync(c, tx, assignOwner, now);
            await DemoOwners.AssignAsync(c, tx, assignOwner, at);
            await DemoNurture.AssignTaskOwnersAsync(c, tx);
            await DemoRouting.RecordDispositionsAsync(c, tx);
            await DemoCampaigns.SeedAsync(c, tx, now);
            await c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES (@SeededSetting, @at)", new { SeededSetting, at = at.ToString() }, tx);
        }, ct);
    }

    private static readonly ScoringModel DemoModel = ScoringModels.BuiltIn("b2b-default");

    /// <summary>The reasons the demo sales team gave, whatever this workspace's own lists say.</summary>
    private static readonly ReasonCodes DemoReasons = new(new Dictionary<Stage, IReadOnlyList<string>>
    {
        [Stage.Disqualified] = ["bad-fit", "student", "competitor", "wrong-contact"],
        [Stage.Recycled] = ["no-response", "not-ready", "bad-timing"],
    });

    /// <summary>Walks engaged people further along the revenue cycle, with the reasons sales would give.</summary>
    private static async Task AdvanceAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, MoveStage moveStage, PersonRow person,
        double engagement, Random random, DateTimeOffset createdAt, DateTimeOffset now, Actor actor)
    {
        Stage[] path = [Stage.MQL, Stage.SAL, Stage.SQL, Stage.Opportunity, Stage.Customer];
        var depth = engagement switch { > 0.93 => 5, > 0.85 => 4, > 0.75 => 3, > 0.62 => 2, > 0.45 => 1, _ => 0 };
        // The history should agree with the shared MQL definition: poor fits (grade D: interns, students, competitors)
        // never became MQLs, and weak ones (grade C) rarely got past one.
        var subject = await ScoringSubject.LoadAsync(c, tx, person.Id);
        var grade = subject is null ? "D" : FitScorer.Score(DemoModel, subject.Fields(withCustomFields: false), explain: false).Grade;
        depth = grade switch { "D" => 0, "C" => Math.Min(depth, 1), _ => depth };
        var when = createdAt;
        for (var step = 0; step < depth; step++)
        {
            when = when.AddHours(4 + random.NextDouble() * 96);
            if (when >= now) return;
            await moveStage.MoveAsync(c, tx, person, new StageMove(path[step], step == 0 ? Actor.Rule("mql", "MQL definition") : actor,
                when.ToUnixTimeMilliseconds()));
        }
        if (depth is 1 or 2 && random.NextDouble() < 0.35)
        {
            when = when.AddHours(24 + random.NextDouble() * 72);
            if (when >= now) { await PersonStore.UpdateAsync(c, tx, person); return; }
            var disqualify = random.NextDouble() < 0.4;
            var to = disqualify ? Stage.Disqualified : Stage.Recycled;
            string[] reasons = disqualify ? ["bad-fit", "student", "competitor", "wrong-contact"] : ["no-response", "not-ready", "bad-timing"];
            await moveStage.MoveAsync(c, tx, person, new StageMove(to, actor, when.ToUnixTimeMilliseconds(),
                reasons[random.Next(reasons.Length)], "Recorded by the demo sales team.", Reasons: DemoReasons));
        }
        // Sales answered the MQLs older than a week; only the recent ones still wait in the inboxes.
        if (person.ParsedStage == Stage.MQL && now - when > TimeSpan.FromDays(7))
        {
            when = when.AddHours(2 + random.NextDouble() * 40);
            var accepted = random.NextDouble() < 0.7;
            await moveStage.MoveAsync(c, tx, person, new StageMove(accepted ? Stage.SAL : Stage.Recycled, actor, when.ToUnixTimeMilliseconds(),
                accepted ? null : "no-response", accepted ? null : "Recorded by the demo sales team.", Reasons: DemoReasons));
        }
        await PersonStore.UpdateAsync(c, tx, person);
    }

    private static int PickCampaign(Random random)
    {
        var roll = random.NextDouble();
        return roll switch { < 0.22 => 0, < 0.30 => 1, < 0.44 => 2, < 0.56 => 3, < 0.64 => 4, < 0.72 => 5, < 0.77 => 6, < 0.82 => 7, < 0.93 => 8, < 0.97 => 9, _ => 10 };
    }

    private static (string Type, object Props) PickActivity(Random random)
    {
        var roll = random.NextDouble();
        var page = Pages[random.Next(Pages.Length)];
        return roll switch
        {
            < 0.55 => ("page_view", new { url = "https://lumen.example" + page, path = page }),
            < 0.70 => ("email_opened", new { email = "Newsletter – monthly" }),
            < 0.78 => ("email_clicked", new { email = "Newsletter – monthly", url = "https://lumen.example/blog/data-sla" }),
            < 0.85 => ("content_downloaded", new { asset = "State of Data Reliability 2026" }),
            < 0.91 => ("webinar_attended", new { webinar = "Data SLAs that hold" }),
            < 0.96 => ("form_submitted", new { form = random.NextDouble() < 0.4 ? "demo-request" : "contact-us" }),
            _ => ("chat_started", new { topic = "pricing" }),
        };
    }

    private static string Ascii(string name) =>
        new string(name.Normalize(System.Text.NormalizationForm.FormD).Where(ch => ch < 128 && char.IsLetter(ch)).ToArray()).ToLowerInvariant();
}
