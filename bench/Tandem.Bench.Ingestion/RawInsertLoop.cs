using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Tandem.Server.Activities;
using Tandem.Server.Storage;

namespace Tandem.Bench.Ingestion;

/// <summary>
/// The storage engine's own speed for the same work: the activity rows Tandem stored during the HTTP
/// run, re-inserted into a fresh database with the same schema through one prepared INSERT per row
/// and one transaction per batch — no HTTP, no JSON, no identity resolution. This is the ceiling the
/// ingestion path is measured against.
/// </summary>
public static class RawInsertLoop
{
    public sealed record Row(long? PersonId, string? AnonymousId, string Type, long OccurredAt, long ReceivedAt, string? MessageId,
        string Source, string? Channel, long? CampaignId, string Properties, long? Signature);

    public sealed record Outcome(long Rows, TimeSpan Elapsed)
    {
        public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
    }

    /// <summary>Every activity row in <paramref name="source"/>, in insertion order.</summary>
    public static async Task<List<Row>> ReadRowsAsync(Database source) =>
        await source.ReadAsync(async c => (await c.QueryAsync<Row>(
            "SELECT person_id, anonymous_id, type, occurred_at, received_at, message_id, source, channel, campaign_id, properties, signature " +
            "FROM activities ORDER BY id")).ToList());

    /// <summary>
    /// Copies the people and campaigns the rows refer to (ids only, so foreign keys hold), untimed,
    /// then times the insert loop. <paramref name="writers"/> connections insert batches in parallel
    /// (1 on SQLite, whose single writer would only make more of them wait).
    /// </summary>
    public static async Task<Outcome> RunAsync(Database source, Database target, List<Row> rows, int batchSize, int writers)
    {
        await CopyReferencedAsync(source, target);
        var batches = rows.Chunk(batchSize).ToArray();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            await using var connection = await target.OpenAsync();
            await using var insert = Prepare(connection);
            await insert.PrepareAsync();
            int mine;
            while ((mine = Interlocked.Increment(ref next)) < batches.Length)
            {
                await using var tx = await connection.BeginTransactionAsync();
                insert.Transaction = tx;
                foreach (var row in batches[mine]) { Bind(insert, row); await insert.ExecuteNonQueryAsync(); }
                await tx.CommitAsync();
            }
        })));
        return new Outcome(rows.Count, clock.Elapsed);
    }

    private static DbCommand Prepare(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = ActivityStore.InsertSql;
        foreach (var name in new[] { "PersonId", "AnonymousId", "Type", "OccurredAt", "ReceivedAt", "MessageId", "Source", "Channel", "CampaignId", "Properties", "Signature" })
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.DbType = name is "PersonId" or "OccurredAt" or "ReceivedAt" or "CampaignId" or "Signature" ? System.Data.DbType.Int64 : System.Data.DbType.String;
            command.Parameters.Add(p);
        }
        return command;
    }

    private static void Bind(DbCommand c, Row r)
    {
        var p = c.Parameters;
        p[0].Value = (object?)r.PersonId ?? DBNull.Value;
        p[1].Value = (object?)r.AnonymousId ?? DBNull.Value;
        p[2].Value = r.Type;
        p[3].Value = r.OccurredAt;
        p[4].Value = r.ReceivedAt;
        p[5].Value = (object?)r.MessageId ?? DBNull.Value;
        p[6].Value = r.Source;
        p[7].Value = (object?)r.Channel ?? DBNull.Value;
        p[8].Value = (object?)r.CampaignId ?? DBNull.Value;
        p[9].Value = r.Properties;
        p[10].Value = (object?)r.Signature ?? DBNull.Value;
    }

    private static async Task CopyReferencedAsync(Database source, Database target)
    {
        var people = await source.ReadAsync(async c => (await c.QueryAsync<(long Id, string Stage, long CreatedAt)>(
            "SELECT id, stage, created_at FROM people ORDER BY id")).ToList());
        var campaigns = await source.ReadAsync(async c => (await c.QueryAsync<(long Id, string Name, string Channel, string? UtmCampaign, long CreatedAt)>(
            "SELECT id, name, channel, utm_campaign, created_at FROM campaigns ORDER BY id")).ToList());
        await target.WriteAsync(async (c, tx) =>
        {
            foreach (var p in people)
                await c.ExecuteAsync("INSERT INTO people (id, stage, stage_changed_at, created_at, updated_at) VALUES (@Id, @Stage, @CreatedAt, @CreatedAt, @CreatedAt)",
                    new { p.Id, p.Stage, p.CreatedAt }, tx);
            foreach (var k in campaigns)
                await c.ExecuteAsync("INSERT INTO campaigns (id, name, channel, utm_campaign, created_at) VALUES (@Id, @Name, @Channel, @UtmCampaign, @CreatedAt)",
                    new { k.Id, k.Name, k.Channel, k.UtmCampaign, k.CreatedAt }, tx);
        });
    }
}
