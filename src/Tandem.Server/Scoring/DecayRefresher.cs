using Dapper;
using Tandem.Domain.Scoring;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Scoring;

/// <summary>
/// Engagement decays with time even when nothing happens, so the stored engagement (which lists, filters and
/// routing read) is carried forward periodically from each person's decay state — no activity is read again.
/// Falling below the MQL line this way never demotes anyone; it shows as meetsMql = false.
/// </summary>
internal sealed class DecayRefresher(Database db, ScoringModels models, TimeProvider clock, TandemOptions options, ILogger<DecayRefresher> log)
    : BackgroundService
{
    private const int ChunkSize = 5000;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var every = TimeSpan.FromMinutes(Math.Max(1, options.Scoring.DecayRefreshMinutes));
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try { await RefreshAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Refreshing decayed engagement failed"); }
        }
    }

    /// <returns>How many people's stored engagement changed.</returns>
    public async Task<int> RefreshAsync(CancellationToken ct = default)
    {
        var model = await models.ActiveAsync(ct);
        if (model is null) return 0;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var changed = 0;
        long after = 0;
        while (true)
        {
            var batch = await db.ReadAsync(async c => (await c.QueryAsync<ScoringSubject>(
                ScoringSubject.Select + " WHERE p.id > @after AND p.engagement_score > 0 AND p.score_model_version = @Version " +
                "AND p.merged_into_id IS NULL AND p.erased_at IS NULL ORDER BY p.id LIMIT " + ChunkSize, new { after, model.Version })).ToList(), ct);
            if (batch.Count == 0) return changed;
            after = batch[^1].Id;
            var updates = new List<ScoreWriter.Row>();
            foreach (var s in batch)
            {
                var carried = EngagementResult.Carried(ScoreWriter.ReadState(s.ScoreState), s.ScoredAt ?? now, now, model.Model.EngagementScale);
                var engagement = carried.Normalized;
                if (engagement == s.EngagementScore) continue;
                var grade = s.FitGrade ?? "D";
                var cell = grade + Scorer.BandFor(model.Model, engagement);
                var meets = model.Model.Mql.Match(grade, engagement, cell) is not null;
                updates.Add(new ScoreWriter.Row(s.Id, s.FitScore ?? 0, grade, engagement, cell, s.Personas ?? "[]", meets ? 1 : 0,
                    model.Version, now, ScoreWriter.State(carried.Decay), s.ScoreThrough, "decay"));
            }
            if (updates.Count == 0) continue;
            await db.WriteAsync(async (c, tx) =>
            {
                foreach (var u in updates)
                {
                    // Only if no live re-score happened meanwhile (it would have a newer scored_at).
                    var n = await c.ExecuteAsync(ScoreWriter.UpdateSql + " AND scored_at <= @Now AND score_model_version = @Version", u, tx);
                    var before = batch.First(b => b.Id == u.Id);
                    if (n > 0 && ScoreWriter.IsNoticeable(before, u)) await c.ExecuteAsync(ScoreWriter.HistorySql, u, tx);
                    changed += n;
                }
            }, ct);
        }
    }
}
