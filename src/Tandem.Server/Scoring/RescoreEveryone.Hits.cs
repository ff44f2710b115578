using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Npgsql;
using Tandem.Domain.Scoring;
using Tandem.Server.Activities;

namespace Tandem.Server.Scoring;

public sealed partial class RescoreEveryone
{
    /// <summary>Every person's rule hits, grouped by person id (a counting sort: person ids are dense).</summary>
    private sealed class PersonHits(int[] start, RuleHit[] hits, long[] through)
    {
        public ArraySegment<RuleHit> For(long personId) =>
            personId + 1 < start.Length ? new ArraySegment<RuleHit>(hits, start[personId], start[personId + 1] - start[personId]) : [];

        public long Through(long personId) => personId < through.Length ? through[personId] : 0;
    }

    private readonly record struct RawHit(long PersonId, RuleHit Hit);

    private async Task<PersonHits> CollectHitsAsync(CompiledModel model, long maxActivity, long maxPerson, bool dryRun, CancellationToken ct)
    {
        // 1. Which rules each distinct signature satisfies.
        var signatures = await db.ReadAsync(async c => (await c.QueryAsync<CompiledModel.SignatureRow>(
            "SELECT s.signature, s.type, s.channel, s.properties, m.utm_campaign AS campaign FROM activity_signatures s " +
            "LEFT JOIN campaigns m ON m.id = s.campaign_id")).ToList(), ct);
        var earning = new ConcurrentBag<(long Signature, int[] Rules)>();
        Parallel.ForEach(signatures, new ParallelOptions { CancellationToken = ct }, s =>
        {
            var rules = model.Evaluate(s);
            if (rules.Length > 0) earning.Add((s.Signature, rules));
        });

        // 2. Read only the activities whose signature earns points, on two connections at once.
        var queue = new ConcurrentQueue<(long Signature, int[] Rules)>(earning.OrderBy(e => e.Signature));
        var parts = new ConcurrentBag<List<RawHit>>();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var found = new List<RawHit>();
            await using var c = await db.OpenAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT person_id, occurred_at, id FROM activities WHERE signature = @s AND person_id IS NOT NULL AND id <= @max";
            var sp = cmd.CreateParameter(); sp.ParameterName = "@s"; cmd.Parameters.Add(sp);
            var mp = cmd.CreateParameter(); mp.ParameterName = "@max"; mp.Value = maxActivity; cmd.Parameters.Add(mp);
            while (queue.TryDequeue(out var e))
            {
                sp.Value = e.Signature;
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var person = reader.GetInt64(0);
                    var at = reader.GetInt64(1);
                    var id = reader.GetInt64(2);
                    foreach (var rule in e.Rules) found.Add(new RawHit(person, new RuleHit(rule, at, id)));
                }
            }
            parts.Add(found);
        }, ct)).ToList();
        readers.Add(Task.Run(async () => parts.Add(await UnsignedHitsAsync(model, maxActivity, dryRun, ct)), ct));
        await Task.WhenAll(readers);

        // 3. Group by person.
        var through = new long[maxPerson + 1];
        var start = new int[maxPerson + 2];
        foreach (var part in parts)
            foreach (var h in part)
                if (h.PersonId <= maxPerson) start[h.PersonId + 1]++;
        for (var i = 1; i < start.Length; i++) start[i] += start[i - 1];
        var all = new RuleHit[start[^1]];
        var next = (int[])start.Clone();
        foreach (var part in parts)
            foreach (var h in part)
            {
                if (h.PersonId > maxPerson) continue;
                all[next[h.PersonId]++] = h.Hit;
                if (h.Hit.ActivityId > through[h.PersonId]) through[h.PersonId] = h.Hit.ActivityId;
            }
        return new PersonHits(start, all, through);
    }

    /// <summary>
    /// Activities stored without a signature (by a path that predates signatures) are evaluated one by one,
    /// and — unless this is a dry run — given their signature so the next re-score takes the fast path.
    /// </summary>
    private async Task<List<RawHit>> UnsignedHitsAsync(CompiledModel model, long maxActivity, bool dryRun, CancellationToken ct)
    {
        var rows = await db.ReadAsync(async c => (await c.QueryAsync<UnsignedRow>(
            "SELECT a.id, a.person_id, a.occurred_at, a.type, a.channel, a.campaign_id, a.properties, m.utm_campaign AS campaign " +
            "FROM activities a LEFT JOIN campaigns m ON m.id = a.campaign_id WHERE a.signature IS NULL AND a.id <= @maxActivity",
            new { maxActivity })).ToList(), ct);
        var found = new List<RawHit>();
        foreach (var a in rows.Where(r => r.PersonId is not null))
            foreach (var rule in model.HitsOf(a.Type, a.Channel, a.Campaign, a.Properties))
                found.Add(new RawHit(a.PersonId!.Value, new RuleHit(rule, a.OccurredAt, a.Id)));
        if (!dryRun)
            foreach (var batch in rows.Chunk(ChunkSize))
                await db.WriteAsync(async (c, tx) =>
                {
                    foreach (var a in batch)
                    {
                        var activity = new NewActivity(a.PersonId, null, a.Type, a.OccurredAt, a.OccurredAt, "", a.Properties, null, a.Channel, a.CampaignId);
                        await ActivitySignature.RememberAsync(c, tx, activity.Signature, activity);
                        await c.ExecuteAsync("UPDATE activities SET signature = @s WHERE id = @Id", new { s = activity.Signature, a.Id }, tx);
                    }
                }, ct);
        return found;
    }

    private sealed class UnsignedRow
    {
        public long Id { get; set; }
        public long? PersonId { get; set; }
        public long OccurredAt { get; set; }
        public string Type { get; set; } = "";
        public string? Channel { get; set; }
        public long? CampaignId { get; set; }
        public string Properties { get; set; } = "{}";
        public string? Campaign { get; set; }
    }
}
