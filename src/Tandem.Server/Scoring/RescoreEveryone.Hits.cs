using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Tandem.Domain.Scoring;
using Tandem.Server.Activities;

namespace Tandem.Server.Scoring;

internal sealed partial class RescoreEveryone
{
    private readonly record struct RawHit(long PersonId, RuleHit Hit);

    /// <summary>The distinct activity signatures that earn (or cost) points under the model, with the rules each satisfies.</summary>
    private async Task<IReadOnlyList<(long Signature, int[] Rules)>> EarningSignaturesAsync(CompiledModel model, CancellationToken ct)
    {
        var signatures = await db.ReadAsync(async c => (await c.QueryAsync<CompiledModel.SignatureRow>(
            "SELECT s.signature, s.type, s.channel, s.properties, m.utm_campaign AS campaign FROM activity_signatures s " +
            "LEFT JOIN campaigns m ON m.id = s.campaign_id")).ToList(), ct);
        var earning = new ConcurrentBag<(long Signature, int[] Rules)>();
        Parallel.ForEach(signatures, new ParallelOptions { CancellationToken = ct }, s =>
        {
            var rules = model.Evaluate(s);
            if (rules.Length > 0) earning.Add((s.Signature, rules));
        });
        return earning.OrderBy(e => e.Signature).ToList();
    }

    /// <summary>
    /// One slice of people's rule hits, grouped by person. Only activities with an earning signature are read,
    /// through the (signature, person_id, occurred_at, id) index, two integers a row.
    /// </summary>
    private sealed class SliceHits(long from, int[] start, RuleHit[] hits)
    {
        public ArraySegment<RuleHit> For(long personId)
        {
            var i = personId - from;
            return i >= 0 && i + 1 < start.Length ? new ArraySegment<RuleHit>(hits, start[i], start[i + 1] - start[i]) : [];
        }

        public static SliceHits Read(DbConnection c, IReadOnlyList<(long Signature, int[] Rules)> earning, IReadOnlyList<RawHit> unsigned,
            long from, long to, long maxActivity)
        {
            var people = new List<long>();
            var found = new List<RuleHit>();
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT person_id, occurred_at FROM activities WHERE signature = @s AND person_id >= @from AND person_id < @to AND id <= @max";
                var sp = Add(cmd, "@s", 0L);
                Add(cmd, "@from", from); Add(cmd, "@to", to); Add(cmd, "@max", maxActivity);
                foreach (var (signature, rules) in earning)
                {
                    sp.Value = signature;
                    using var reader = cmd.ExecuteReader();
                    while (reader.Read())
                    {
                        var person = reader.GetInt64(0);
                        var at = reader.GetInt64(1);
                        foreach (var rule in rules) { people.Add(person); found.Add(new RuleHit(rule, at, 0)); }
                    }
                }
            }
            foreach (var u in unsigned)
                if (u.PersonId >= from && u.PersonId < to) { people.Add(u.PersonId); found.Add(u.Hit); }

            // Counting sort by person: ids within a slice are dense.
            var size = (int)(to - from);
            var start = new int[size + 1];
            foreach (var p in people) start[p - from + 1]++;
            for (var i = 1; i < start.Length; i++) start[i] += start[i - 1];
            var grouped = new RuleHit[found.Count];
            var next = (int[])start.Clone();
            for (var i = 0; i < found.Count; i++) grouped[next[people[i] - from]++] = found[i];
            return new SliceHits(from, start, grouped);
        }

        private static DbParameter Add(DbCommand cmd, string name, long value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
            return p;
        }
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
