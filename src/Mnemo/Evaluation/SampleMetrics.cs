using Mnemo.Training;

namespace Mnemo.Evaluation;

/// <summary>
/// What an <see cref="ISampleEvaluator"/> measured on generated samples, as one typed record (logged as an
/// "evaluation" line of metrics.jsonl, and a run's final metrics.json). Each evaluator fills its own metrics and
/// leaves the others null.
/// </summary>
public sealed record SampleMetrics : IMetricRecord
{
    public static string? Event => "evaluation";
    public long Step { get; init; }
    /// <summary>Modes (mixture components, Stacked-MNIST digit triples) with at least one good sample.</summary>
    public int? Modes { get; init; }
    public int? MaxModes { get; init; }
    /// <summary>Share of samples within 3σ of a mode (2-D mixtures).</summary>
    public double? HighQuality { get; init; }
    /// <summary>KL(real mode distribution ‖ generated), as the reference code.</summary>
    public double? ReverseKl { get; init; }
    public double? Fid { get; init; }
    public double? Is { get; init; }
    public double? IsStd { get; init; }
    /// <summary>Splits the Inception Score was averaged over (10, or fewer when there are fewer samples).</summary>
    public int? IsSplits { get; init; }
    /// <summary>The feature network FID and IS used, e.g. "classifier:mnist".</summary>
    public string? Features { get; init; }
    /// <summary>Classes the evaluation classifier assigns to at least one sample, and each class's share.</summary>
    public int? ClassesGenerated { get; init; }
    public double[]? LabelHistogram { get; init; }
    /// <summary>For samples generated under conditions (classes, clusters, memory slots): the share of samples whose
    /// evaluation-classifier label is their condition's most common label (1 = each condition yields one kind of
    /// object), over the conditions with at least two samples; null without conditions or without such a condition.</summary>
    public double? ConditionPurity { get; init; }
    /// <summary>Distinct conditions among the samples (e.g. memory slots drawn).</summary>
    public int? DistinctConditions { get; init; }
    /// <summary>Per class asked for (in order): the evaluation classifier's accuracy on the samples generated for it,
    /// a sample never produced counting as wrong.</summary>
    public double[]? ClassAccuracy { get; init; }
    /// <summary>Accuracy on real test images of a classifier trained only on the generated samples.</summary>
    public double? ReverseAccuracy { get; init; }

    /// <summary>The scalar metrics that were measured, with their names as shown in reports.</summary>
    public IEnumerable<(string Name, double Value)> Scalars()
    {
        var all = new (string, double?)[]
        {
            ("modes", Modes), ("max modes", MaxModes), ("high quality", HighQuality), ("reverse KL", ReverseKl), ("FID", Fid),
            ("IS", Is), ("IS std", IsStd), ("classes generated", ClassesGenerated), ("reverse accuracy", ReverseAccuracy),
        };
        return all.Where(m => m.Item2.HasValue).Select(m => (m.Item1, m.Item2!.Value));
    }
}
