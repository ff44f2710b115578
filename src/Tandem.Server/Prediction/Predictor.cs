using System.Data.Common;
using Dapper;
using Tandem.Domain.Prediction;
using Tandem.Server.Storage;

namespace Tandem.Server.Prediction;

/// <summary>A person's prediction: the probability, and the reasons that add up to its distance from the base rate.</summary>
internal sealed record PersonPrediction(long PersonId, double Probability, double BaseRate, IReadOnlyList<Reason> Reasons);

/// <summary>Predicts with a model and writes each person's probability and reasons on their row.</summary>
internal static class Predictor
{
    /// <summary>Predictions as of an instant (activities after it are not seen).</summary>
    public static IReadOnlyList<PersonPrediction> Predict(ActiveModel model, IReadOnlyList<PersonSnapshot> people, Func<PersonSnapshot, long> asOf)
    {
        var encoded = people.Select(p => model.Schema.Encode(p, asOf(p))).ToList();
        var scored = model.Learner.Predict(encoded);
        var groups = model.Schema.SlotGroups;
        var result = new List<PersonPrediction>(people.Count);
        for (var i = 0; i < people.Count; i++)
        {
            var person = people[i];
            var s = scored[i];
            var byGroup = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var slot = 0; slot < groups.Count && slot < s.Contributions.Length; slot++)
                if (s.Contributions[slot] != 0) byGroup[groups[slot]] = byGroup.GetValueOrDefault(groups[slot]) + s.Contributions[slot];
            var at = asOf(person);
            var reasons = Reasons.Explain(byGroup, g => model.Schema.Describe(person, g, at), s.Raw, model.RawAtBase, s.Probability, model.BaseRate);
            result.Add(new PersonPrediction(person.PersonId, s.Probability, model.BaseRate, reasons));
        }
        return result;
    }

    public static async Task WriteAsync(DbConnection c, DbTransaction tx, long version, IReadOnlyList<PersonPrediction> predictions, long now)
    {
        foreach (var p in predictions)
            await c.ExecuteAsync(
                "UPDATE people SET conversion_probability = @probability, prediction_reasons = @reasons, prediction_version = @version, predicted_at = @now WHERE id = @id",
                new { probability = Math.Round(p.Probability, 6), reasons = Json.Write(p.Reasons), version, now, id = p.PersonId }, tx);
    }
}
