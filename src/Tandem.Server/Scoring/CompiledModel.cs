using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Tandem.Domain.Scoring;

namespace Tandem.Server.Scoring;

/// <summary>
/// A published model ready to score with: the model, its version, and a cache of which engagement
/// rules each activity signature satisfies (signatures never change meaning, so the cache never goes stale).
/// </summary>
internal sealed class CompiledModel(long version, ScoringModel model)
{
    private readonly ConcurrentDictionary<long, int[]> hitsBySignature = new();

    public long Version { get; } = version;
    public ScoringModel Model { get; } = model;

    /// <summary>Whether any rule or persona reads a custom field (so custom fields must be loaded to score).</summary>
    public bool ReadsCustomFields { get; } = model.Fit.SelectMany(r => r.When).Concat(model.Personas.SelectMany(p => p.When))
        .Any(c => c.Field.StartsWith("custom.", StringComparison.Ordinal));

    /// <summary>The rule indexes a signature satisfies, evaluating (and caching) it on first sight.</summary>
    public async ValueTask<int[]> HitsAsync(DbConnection c, DbTransaction? tx, long signature)
    {
        if (hitsBySignature.TryGetValue(signature, out var known)) return known;
        var row = await c.QuerySingleOrDefaultAsync<SignatureRow>(
            "SELECT s.signature, s.type, s.channel, s.properties, m.utm_campaign AS campaign FROM activity_signatures s " +
            "LEFT JOIN campaigns m ON m.id = s.campaign_id WHERE s.signature = @signature", new { signature }, tx);
        var hits = row is null ? [] : Evaluate(row);
        hitsBySignature[signature] = hits;
        return hits;
    }

    /// <summary>Evaluates an activity that has no stored signature (written by an older path).</summary>
    public int[] HitsOf(string type, string? channel, string? campaign, string properties) =>
        EngagementScorer.Hits(Model, type, ActivityFields.Parse(type, channel, campaign, properties)).ToArray();

    public int[] Evaluate(SignatureRow row)
    {
        var hits = HitsOf(row.Type, row.Channel, row.Campaign, row.Properties);
        hitsBySignature[row.Signature] = hits;
        return hits;
    }

    public sealed class SignatureRow
    {
        public long Signature { get; set; }
        public string Type { get; set; } = "";
        public string? Channel { get; set; }
        public string? Campaign { get; set; }
        public string Properties { get; set; } = "{}";
    }
}
