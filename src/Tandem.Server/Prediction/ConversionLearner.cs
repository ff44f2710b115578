using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Tandem.Server.Prediction;

/// <summary>One prediction: the raw score, the calibrated probability and each feature slot's contribution to the raw score.</summary>
internal sealed record Scored(double Raw, double Probability, float[] Contributions);

/// <summary>
/// The learning itself, with ML.NET: boosted trees (FastTree) on the encoded features, a sigmoid calibrator
/// from raw score to probability, and per-prediction feature contributions for the reasons. A trained model is saved
/// as bytes (the trees, the calibrator and the contribution step in one chain) and loaded back the same way.
/// </summary>
internal sealed class ConversionLearner
{
    private sealed class Example
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class Output
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public float[] FeatureContributions { get; set; } = [];
    }

    private readonly MLContext ml;
    private readonly ITransformer chain;
    private readonly SchemaDefinition input;

    public int Width { get; }

    private ConversionLearner(MLContext ml, ITransformer chain, int width)
    {
        this.ml = ml;
        this.chain = chain;
        Width = width;
        input = InputSchema(width);
    }

    private static SchemaDefinition InputSchema(int width)
    {
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }

    /// <summary>Learns from encoded examples. Fixed seed and one thread: the same data gives the same model.</summary>
    public static ConversionLearner Train(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, int width, PredictionOptions options)
    {
        var ml = new MLContext(seed: 20261);
        var data = ml.Data.LoadFromEnumerable(features.Select((f, i) => new Example { Label = labels[i], Features = f }), InputSchema(width));
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinLeafPeople,
            LearningRate = options.LearningRate,
            FeatureFraction = 0.8,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data);
        var contributions = ml.Transforms.CalculateFeatureContribution(model, numberOfPositiveContributions: width,
            numberOfNegativeContributions: width, normalize: false).Fit(model.Transform(data));
        return new ConversionLearner(ml, model.Append(contributions), width) { Calibrator = (model.Model.Calibrator.Slope, model.Model.Calibrator.Offset) };
    }

    public static ConversionLearner Load(byte[] bytes, int width, (double Slope, double Offset) calibrator)
    {
        var ml = new MLContext(seed: 20261);
        using var stream = new MemoryStream(bytes);
        return new ConversionLearner(ml, ml.Model.Load(stream, out _), width) { Calibrator = calibrator };
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<Example>(), input).Schema;
        ml.Model.Save(chain, schema, stream);
        return stream.ToArray();
    }

    public IReadOnlyList<Scored> Predict(IReadOnlyList<float[]> features)
    {
        if (features.Count == 0) return [];
        var data = ml.Data.LoadFromEnumerable(features.Select(f => new Example { Features = f }), input);
        return ml.Data.CreateEnumerable<Output>(chain.Transform(data), reuseRowObject: false)
            .Select(o => new Scored(o.Score, o.Probability, o.FeatureContributions)).ToList();
    }

    /// <summary>The calibrator's sigmoid, p = 1 / (1 + e^(Slope·raw + Offset)), kept with the model so reasons can invert it.</summary>
    public (double Slope, double Offset) Calibrator { get; private init; }

    /// <summary>The raw score the calibrator maps to this probability.</summary>
    public double RawAt(double probability)
    {
        var p = Math.Clamp(probability, 1e-9, 1 - 1e-9);
        return (Math.Log(1 / p - 1) - Calibrator.Offset) / Calibrator.Slope;
    }
}
