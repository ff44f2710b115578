namespace Tandem.Domain.Scoring;

/// <summary>A person's whole score at one instant under one model.</summary>
public sealed record Score(FitResult Fit, EngagementResult Engagement, int Band, string Cell, MqlClause? MqlClause)
{
    public bool MeetsMql => MqlClause is not null;
}

/// <summary>Combines fit and engagement into the grade × engagement matrix and applies the MQL definition.</summary>
public static class Scorer
{
    public static Score Score(ScoringModel model, IFieldSource person, IEnumerable<RuleHit> hits, long now, bool explain = false) =>
        Combine(model, FitScorer.Score(model, person, explain), EngagementScorer.Score(model, hits, now, explain));

    public static Score Combine(ScoringModel model, FitResult fit, EngagementResult engagement)
    {
        var band = BandFor(model, engagement.Normalized);
        var cell = fit.Grade + band;
        return new Score(fit, engagement, band, cell, model.Mql.Match(fit.Grade, engagement.Normalized, cell));
    }

    public static int BandFor(ScoringModel model, int engagement)
    {
        for (var b = 0; b < model.EngagementBands.Count; b++)
            if (engagement >= model.EngagementBands[b]) return b + 1;
        return model.EngagementBands.Count + 1;
    }
}
