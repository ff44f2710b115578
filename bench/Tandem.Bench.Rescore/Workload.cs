using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Tandem.Domain.Scoring;
using Tandem.Server.Activities;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;

namespace Tandem.Bench.Rescore;

/// <summary>
/// A B2B workspace at scale, written straight into Tandem's schema: people at accounts with realistic titles,
/// sizes and industries, and their last 90 days of page views, emails, forms, content and webinars.
/// </summary>
internal static class Workload
{
    private static readonly string[] Titles =
        ["Data Engineer", "Senior Data Engineer", "Head of Data", "VP Engineering", "CTO", "Analytics Manager", "Data Analyst",
         "Platform Engineer", "Director of Data Platform", "Software Engineer", "Chief Data Officer", "BI Developer", "Intern", "Marketing Manager", "Student"];
    private static readonly string[] Sizes = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];
    private static readonly string[] Industries = ["Software", "Financial Services", "Logistics", "Retail", "Healthcare", "Energy", "Media", "Education"];
    private static readonly (string Country, string Region)[] Places =
        [("United States", "AMER"), ("Germany", "EMEA"), ("United Kingdom", "EMEA"), ("France", "EMEA"), ("India", "APAC"), ("Japan", "APAC"), ("Brazil", "AMER")];
    private static readonly string[] Pages =
        ["/", "/product", "/pricing", "/pricing/enterprise", "/docs/getting-started", "/docs/alerts", "/docs/api", "/blog/data-sla", "/blog/observability-guide",
         "/customers", "/integrations", "/integrations/snowflake", "/security", "/demo", "/careers", "/about"];

    /// <summary>The distinct kinds of activity (type and properties), each with its share of all events.</summary>
    private static readonly (string Type, string Properties, double Weight)[] Kinds = BuildKinds();

    private static (string, string, double)[] BuildKinds()
    {
        var kinds = new List<(string, string, double)>();
        foreach (var page in Pages)
            kinds.Add(("page_view", JsonSerializer.Serialize(new { url = "https://lumen.example" + page, path = page }), page.StartsWith("/pricing") ? 3 : 4));
        kinds.Add(("email_opened", """{"email":"Newsletter – monthly"}""", 10));
        kinds.Add(("email_opened", """{"email":"Product update"}""", 5));
        kinds.Add(("email_clicked", """{"email":"Newsletter – monthly","url":"https://lumen.example/blog/data-sla"}""", 4));
        kinds.Add(("form_submitted", """{"form":"demo-request"}""", 0.6));
        kinds.Add(("form_submitted", """{"form":"contact-us"}""", 1));
        kinds.Add(("content_downloaded", """{"asset":"State of Data Reliability 2026"}""", 3));
        kinds.Add(("webinar_attended", """{"webinar":"Data SLAs that hold"}""", 1.5));
        kinds.Add(("chat_started", """{"topic":"pricing"}""", 1));
        kinds.Add(("email_bounced", "{}", 0.3));
        return kinds.ToArray();
    }

    /// <summary>The change a team makes after a quarter: pricing and docs matter more, demo requests less, the MQL line moves.</summary>
    public static ScoringModel Changed(ScoringModel v1)
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(v1, Json.Options))!.AsObject();
        json["name"] = v1.Name + " (Q1 review)";
        foreach (var rule in json["engagement"]!.AsArray())
            if ((string?)rule!["id"] == "pricing-visit") rule["points"] = 25;
            else if ((string?)rule["id"] == "demo-request") rule["points"] = 40;
        json["engagement"]!.AsArray().Add(JsonNode.Parse("""{"id":"docs","name":"Read the docs","type":"page_view","when":[{"field":"url","op":"contains","value":"/docs"}],"points":4,"halfLifeDays":10,"capPerDay":2}"""));
        json["mql"] = JsonNode.Parse("""{"any":[{"minGrade":"B","minEngagement":35},{"cells":["A1","A2"]}]}""");
        return ScoringModels.Parse(json.ToJsonString());
    }

    public static string PostgresDatabase(string admin)
    {
        var name = "tandem_bench_rescore_" + Guid.NewGuid().ToString("N")[..8];
        using var c = new NpgsqlConnection(admin);
        c.Open();
        c.Execute($"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, CommandTimeout = 0 }.ToString();
    }

    public static async Task DropAsync(Tandem.Server.Storage.DatabaseProvider provider, string connectionString)
    {
        if (provider == Tandem.Server.Storage.DatabaseProvider.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
            return;
        }
        NpgsqlConnection.ClearAllPools();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        builder.Database = "postgres";
        await using var c = new NpgsqlConnection(builder.ToString());
        await c.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public static async Task GenerateAsync(Database db, long people, long events)
    {
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const long day = 86_400_000;
        var cumulative = Kinds.Select(k => k.Weight).ToArray();
        for (var i = 1; i < cumulative.Length; i++) cumulative[i] += cumulative[i - 1];
        var signatures = Kinds.Select(k => ActivitySignature.Of(k.Type, null, null, k.Properties)).ToArray();

        await using var c = await db.OpenAsync();
        var indexes = await DropActivityIndexesAsync(c, db.IsSqlite);
        var accounts = Math.Max(1, people / 20);
        await using (var tx = await c.BeginTransactionAsync())
        {
            for (var k = 0; k < Kinds.Length; k++)
                await c.ExecuteAsync(ActivitySignature.RememberSql, new { Signature = signatures[k], Kinds[k].Type, Channel = (string?)null, CampaignId = (long?)null, Kinds[k].Properties }, tx);
            await tx.CommitAsync();
        }
        var rows = new PeopleAndActivities(c, db.IsSqlite);
        await rows.BeginAsync();
        for (long a = 1; a <= accounts; a++)
            await rows.AccountAsync(a, $"Account {a}", $"account{a}.example", Industries[random.Next(Industries.Length)], now);
        var perPerson = (double)events / people;
        long written = 0;
        for (long p = 1; p <= people; p++)
        {
            var place = Places[random.Next(Places.Length)];
            var account = 1 + random.NextInt64(accounts);
            var free = random.NextDouble() < 0.15;
            await rows.PersonAsync(p, free ? $"person{p}@gmail.com" : $"person{p}@account{account}.example", Titles[random.Next(Titles.Length)],
                Sizes[random.Next(Sizes.Length)], Industries[random.Next(Industries.Length)], place.Country, place.Region,
                random.NextDouble() < 0.6 ? "+1 555 0100" : null, free ? null : account, now - random.NextInt64(90 * day));
            // Engagement is skewed: most people do a little, a few do a lot.
            var count = p == people ? events - written : (long)Math.Round(perPerson * -Math.Log(1 - random.NextDouble()));
            count = Math.Min(count, events - written);
            for (long e = 0; e < count; e++)
            {
                var roll = random.NextDouble() * cumulative[^1];
                var kind = Array.FindIndex(cumulative, w => roll < w);
                var at = now - random.NextInt64(90 * day);
                await rows.ActivityAsync(p, Kinds[kind].Type, at, Kinds[kind].Properties, signatures[kind]);
            }
            written += count;
            if (p % 100_000 == 0) { await rows.CommitAsync(); await rows.BeginAsync(); Console.Write($"\r   {p:N0} people, {written:N0} events"); }
        }
        await rows.CommitAsync();
        Console.WriteLine($"\r   {people:N0} people, {written:N0} events; rebuilding indexes…");
        foreach (var sql in indexes) await c.ExecuteAsync(sql, commandTimeout: 0);
        await c.ExecuteAsync("ANALYZE people; ANALYZE activities;", commandTimeout: 0);
    }

    /// <summary>Bulk loading is faster without the activity indexes; they are rebuilt (identically) afterwards.</summary>
    private static async Task<List<string>> DropActivityIndexesAsync(DbConnection c, bool sqlite)
    {
        var indexes = sqlite
            ? (await c.QueryAsync<(string Name, string Sql)>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activities' AND sql IS NOT NULL")).ToList()
            : (await c.QueryAsync<(string Name, string Sql)>("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'activities' AND indexname LIKE 'ix_%'")).ToList();
        foreach (var (name, _) in indexes) await c.ExecuteAsync($"DROP INDEX {name}");
        return indexes.Select(i => i.Sql).ToList();
    }
}
