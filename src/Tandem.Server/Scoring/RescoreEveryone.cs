using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Tandem.Domain.Scoring;
using Tandem.Server.Storage;

using Tandem.Server.People;

namespace Tandem.Server.Scoring;

/// <summary>
/// Re-scores everyone under a model — after publishing it, or as a dry run that only counts what would change.
/// Fast because engagement rules are evaluated once per distinct activity signature, and only activities whose
/// signature earns points are read (through the signature index); people are scored on both cores in parallel.
/// Live ingestion keeps running: people are written in small transactions, each person in one UPDATE (never
/// half-scored), and anyone the live path re-scored under this model after the snapshot is left as it is.
/// People who newly meet the MQL definition are moved to MQL (and routed) once every score is written, in a second
/// pass: the new scores reach everyone first, and the moves — each a routing decision, an assignment and SLA clocks —
/// do not hold the writer while the remaining scores wait.
/// </summary>
internal sealed partial class RescoreEveryone(Database db, Consequences consequences, ScoreWriter writer, TimeProvider clock)
{
    private const int ChunkSize = 5000;

    public sealed record Impact(long People, long MoveIntoMql, long FallOutOfMql, long Unchanged,
        IReadOnlyDictionary<string, long> GradesBefore, IReadOnlyDictionary<string, long> GradesAfter, IReadOnlyDictionary<string, long> CellsAfter);

    public sealed record Progress(long Done, long Total);

    public async Task<Impact> RunAsync(CompiledModel model, bool dryRun, Func<Progress, Task>? progress = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (maxActivity, maxPerson, total) = await db.ReadAsync(async c => (
            await c.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM activities") ?? 0,
            await c.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM people") ?? 0,
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE merged_into_id IS NULL AND erased_at IS NULL")), ct);

        var earning = await EarningSignaturesAsync(model, ct);
        var unsigned = await UnsignedHitsAsync(model, maxActivity, dryRun, ct);
        var counter = new ImpactCounter();
        var rows = Channel.CreateBounded<List<Pending>>(new BoundedChannelOptions(4) { SingleReader = true });
        var slices = (int)(maxPerson / SliceSize) + 1;
        var nextSlice = -1;
        // One worker per core reads and scores slices of people; a single writer commits them (SQLite has one writer anyway).
        var workers = Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 4)).Select(_ => Task.Run(async () =>
        {
            await using var c = await db.OpenAsync(ct);
            int slice;
            while ((slice = Interlocked.Increment(ref nextSlice)) < slices)
            {
                var from = (long)slice * SliceSize;
                var hits = SliceHits.Read(c, earning, unsigned, from, from + SliceSize, maxActivity);
                await ScoreSliceAsync(c, model, hits, from, from + SliceSize, now, maxActivity, counter, dryRun ? null : rows.Writer, ct);
            }
        }, ct)).ToArray();
        var done = 0L;
        var qualified = new List<(long Id, Score Score)>();
        var writing = dryRun ? Task.CompletedTask : Task.Run(async () =>
        {
            await foreach (var chunk in rows.Reader.ReadAllAsync(ct))
            {
                await WriteChunkAsync(chunk, maxActivity, qualified, ct);
                done += chunk.Count;
                if (progress is not null) await progress(new Progress(Math.Min(done, total), total));
            }
        }, ct);
        try { await Task.WhenAll(workers); }
        finally { rows.Writer.TryComplete(); }
        await writing;
        await MoveQualifiedToMqlAsync(model, qualified, ct);
        if (progress is not null) await progress(new Progress(total, total));
        return counter.ToImpact();
    }

    private const int SliceSize = 50_000;

    private sealed record Pending(ScoringSubject Before, Score Score, ScoreWriter.Row Row);

    private static async Task ScoreSliceAsync(DbConnection c, CompiledModel model, SliceHits hits, long from, long to, long now, long maxActivity,
        ImpactCounter counter, ChannelWriter<List<Pending>>? output, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = ScoringSubject.SelectFor(model) + " WHERE p.id >= @from AND p.id < @to AND p.merged_into_id IS NULL AND p.erased_at IS NULL ORDER BY p.id";
        foreach (var (name, value) in new[] { ("@from", from), ("@to", to) })
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var subjects = ScoringSubject.ReadAll(reader);
        var chunk = new List<Pending>(ChunkSize);
        foreach (var subject in subjects)
        {
            ct.ThrowIfCancellationRequested();
            var score = Scorer.Score(model.Model, subject.Fields(model.ReadsCustomFields), hits.For(subject.Id), now);
            // Everything up to the snapshot's newest activity has been read for everyone.
            var row = ScoreWriter.ToRow(subject, score, model.Version, now, Math.Max(subject.ScoreThrough ?? 0, maxActivity), "model published");
            counter.Count(subject, score);
            if (output is null) continue;
            chunk.Add(new Pending(subject, score, row));
            if (chunk.Count == ChunkSize) { await output.WriteAsync(chunk, ct); chunk = new List<Pending>(ChunkSize); }
        }
        if (output is not null && chunk.Count > 0) await output.WriteAsync(chunk, ct);
    }

    private Task WriteChunkAsync(List<Pending> chunk, long maxActivity, List<(long Id, Score Score)> qualified, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            // Someone the live path already scored under this model after our snapshot has a fresher score: keep it.
            await using var update = Prepare(c, tx, ScoreWriter.UpdateSql + " AND NOT (score_model_version = @Version AND COALESCE(score_through, 0) > @MaxActivity)",
                ["Fit", "Grade", "Engagement", "Cell", "Personas", "MeetsMql", "Version", "Now", "State", "Through", "Id", "MaxActivity"]);
            await using var history = Prepare(c, tx, ScoreWriter.HistorySql, ["Id", "Now", "Fit", "Grade", "Engagement", "Cell", "MeetsMql", "Version", "Cause"]);
            foreach (var p in chunk)
            {
                var r = p.Row;
                Set(update, r.Fit, r.Grade, r.Engagement, r.Cell, r.Personas, r.MeetsMql, r.Version, r.Now, r.State, r.Through, r.Id, maxActivity);
                if (await update.ExecuteNonQueryAsync(ct) == 0) continue;
                if (ScoreWriter.IsNoticeable(p.Before, r))
                {
                    Set(history, r.Id, r.Now, r.Fit, r.Grade, r.Engagement, r.Cell, r.MeetsMql, r.Version, r.Cause);
                    await history.ExecuteNonQueryAsync(ct);
                }
                if (ScoreWriter.QualifiesNow(p.Before, p.Score)) qualified.Add((r.Id, p.Score));
            }
        }, ct);

    private const int MovesPerTransaction = 250;

    /// <summary>
    /// Moves the people this run qualified to MQL, each as the live path would (history naming the model, routing, SLA).
    /// Someone whose score changed again since (a newer model, an event that took them out) or who moved on by hand
    /// is left alone: only a person still scored by this model, still meeting it, and still before MQL moves.
    /// </summary>
    private async Task MoveQualifiedToMqlAsync(CompiledModel model, List<(long Id, Score Score)> qualified, CancellationToken ct)
    {
        foreach (var batch in qualified.Chunk(MovesPerTransaction))
            await consequences.WriteAsync(async (c, tx) =>
            {
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var (id, score) in batch)
                {
                    var still = await c.ExecuteScalarAsync<long>(
                        "SELECT COUNT(*) FROM people WHERE id = @id AND score_model_version = @Version AND meets_mql = 1 AND stage IN ('Subscriber', 'Lead', 'Recycled')",
                        new { id, model.Version }, tx);
                    if (still > 0) await writer.MoveToMqlAsync(c, tx, id, score, model, now);
                }
                return 0;
            }, ct);
    }

    private static DbCommand Prepare(DbConnection c, DbTransaction tx, string sql, string[] names)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var name in names)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private static void Set(DbCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>Tallies what a run changes, from both producers at once.</summary>
    private sealed class ImpactCounter
    {
        private long people, into, outOf, unchanged;
        private readonly ConcurrentDictionary<string, long> before = new(), after = new(), cells = new();

        public void Count(ScoringSubject s, Score score)
        {
            Interlocked.Increment(ref people);
            if (ScoreWriter.QualifiesNow(s, score)) Interlocked.Increment(ref into);
            if (s.MeetsMql != 0 && !score.MeetsMql) Interlocked.Increment(ref outOf);
            if (s.ScoreCell == score.Cell && s.FitScore == score.Fit.Score && s.EngagementScore == score.Engagement.Normalized) Interlocked.Increment(ref unchanged);
            before.AddOrUpdate(s.FitGrade ?? "unscored", 1, (_, n) => n + 1);
            after.AddOrUpdate(score.Fit.Grade, 1, (_, n) => n + 1);
            cells.AddOrUpdate(score.Cell, 1, (_, n) => n + 1);
        }

        public Impact ToImpact() => new(people, into, outOf, unchanged, Sorted(before), Sorted(after), Sorted(cells));

        private static SortedDictionary<string, long> Sorted(ConcurrentDictionary<string, long> d) => new(d);
    }
}
