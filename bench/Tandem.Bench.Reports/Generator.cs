using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Reports;
using Tandem.Server.Storage;

namespace Tandem.Bench.Reports;

/// <summary>
/// A year of people: created evenly over 365 days, each with a channel, grade, persona and owner, walking down the
/// funnel with the demo's rough conversion rates (some skipping a stage, some recycled or disqualified). Their stage
/// history goes to stage_changes and the rollup to stage_reached, row for row as Lifecycle/MoveStage.cs writes them.
/// </summary>
internal static class Generator
{
    private static readonly string[] Channels = ["Paid Search", "Paid Social", "Email", "Events", "Organic Search", "Referral", "Organic Social", "Display"];
    private static readonly string[] Grades = ["A", "B", "C", "D"];
    private static readonly string[] Personas = ["[]", "[\"Data Leader\"]", "[\"Engineer\"]", "[\"Data Leader\",\"Executive\"]"];
    private const long DayMs = 86_400_000;

    public static async Task<DateTimeOffset> GenerateAsync(Database db, long people, long events)
    {
        var now = DateTimeOffset.UtcNow;
        var end = now.ToUnixTimeMilliseconds();
        var start = end - 365 * DayMs;
        var random = new Random(14);
        await db.WriteAsync(async (c, tx) =>
        {
            for (var u = 1; u <= 20; u++)
                await c.ExecuteAsync("INSERT INTO users (id, email, normalized_email, name, role, security_stamp, created_at, updated_at) " +
                                     "VALUES (@u, @e, @e, @n, 'sales_rep', 's', 0, 0)", new { u, e = $"rep{u}@bench.example", n = $"Rep {u}" }, tx);
            for (var t = 1; t <= 4; t++)
                await c.ExecuteAsync("INSERT INTO teams (id, name, created_at) VALUES (@t, @n, 0)", new { t, n = $"Team {t}" }, tx);
        });

        await using var c = await db.OpenAsync();
        const int batch = 20_000;
        var perPerson = (double)events / people;
        for (long first = 1; first <= people; first += batch)
        {
            await using var tx = await c.BeginTransactionAsync();
            await using var person = Command(c, tx, "INSERT INTO people (id, email, stage, stage_changed_at, created_at, updated_at, first_touch_channel, first_touch, " +
                                                    "fit_grade, personas, owner_id, owner_team_id) VALUES (@p0, @p1, @p2, @p3, @p4, @p4, @p5, @p6, @p7, @p8, @p9, @p10)", 11);
            await using var change = Command(c, tx, "INSERT INTO stage_changes (person_id, from_stage, to_stage, changed_at, actor_type, actor_id, actor_name) " +
                                                    "VALUES (@p0, @p1, @p2, @p3, 'System', 'bench', 'bench')", 4);
            await using var reached = Command(c, tx, "INSERT INTO stage_reached (person_id, stage, reached_at, implied) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT DO NOTHING", 4);
            await using var activity = Command(c, tx, "INSERT INTO activities (person_id, type, occurred_at, received_at, source, channel) VALUES (@p0, @p1, @p2, @p2, 'tracking', @p3)", 4);
            for (var id = first; id < Math.Min(first + batch, people + 1); id++)
            {
                var created = start + (long)(random.NextDouble() * (end - start));
                var channel = Channels[random.Next(Channels.Length)];
                var owner = random.Next(5) == 0 ? (long?)null : random.Next(1, 21);
                var path = Walk(random);
                var at = created;
                Stage? from = null;
                var moves = new List<(Stage? From, Stage To, long At)>();
                foreach (var stage in path)
                {
                    if (at > end) break;
                    moves.Add((from, stage, at));
                    from = stage;
                    at += (long)(random.NextDouble() * 6 * DayMs) + DayMs / 4;
                }
                var last = moves[^1];
                Set(person, id, $"p{id}@bench.example", last.To.ToString(), last.At, created, channel, $"{{\"channel\":\"{channel}\",\"campaign\":\"c{random.Next(30)}\"}}",
                    Grades[random.Next(4)], Personas[random.Next(Personas.Length)], owner, owner is { } o ? (o - 1) % 4 + 1 : null);
                await person.ExecuteNonQueryAsync();
                foreach (var m in moves)
                {
                    Set(change, id, m.From?.ToString(), m.To.ToString(), m.At);
                    await change.ExecuteNonQueryAsync();
                    foreach (var (stage, implied) in Funnel.Reached(m.To))
                    {
                        Set(reached, id, stage.ToString(), m.At, implied ? 1L : 0L);
                        await reached.ExecuteNonQueryAsync();
                    }
                }
                var n = (int)perPerson + (random.NextDouble() < perPerson - (int)perPerson ? 1 : 0);
                for (var k = 0; k < n; k++)
                {
                    var when = created + (long)(random.NextDouble() * Math.Max(DayMs, end - created));
                    Set(activity, id, k % 3 == 0 ? "email_opened" : "page_view", Math.Min(when, end), k == 0 ? channel : null);
                    await activity.ExecuteNonQueryAsync();
                }
            }
            await tx.CommitAsync();
            if (first % 200_000 == 1) Console.WriteLine($"   … {Math.Min(first + batch - 1, people):N0} people");
        }
        await c.ExecuteAsync("ANALYZE main");
        return now;
    }

    /// <summary>A path down the funnel: most stop early, some skip a stage, some leave by an exit.</summary>
    private static List<Stage> Walk(Random random)
    {
        var path = new List<Stage> { Stage.Lead };
        Stage[] next = [Stage.MQL, Stage.SAL, Stage.SQL, Stage.Opportunity, Stage.Customer];
        double[] odds = [0.5, 0.7, 0.5, 0.55, 0.45];
        for (var i = 0; i < next.Length; i++)
        {
            if (random.NextDouble() > odds[i])
            {
                var exit = random.NextDouble();
                if (exit < 0.15) path.Add(Stage.Recycled);
                else if (exit < 0.22) path.Add(Stage.Disqualified);
                break;
            }
            if (i is 1 or 2 && random.NextDouble() < 0.05) continue; // skipped: reached by passing it
            path.Add(next[i]);
        }
        return path;
    }

    private static DbCommand Command(DbConnection c, DbTransaction tx, string sql, int parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < parameters; i++) { var p = cmd.CreateParameter(); p.ParameterName = "@p" + i; cmd.Parameters.Add(p); }
        cmd.Prepare();
        return cmd;
    }

    private static void Set(DbCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
