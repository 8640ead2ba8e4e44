using Mnemo.Training;

namespace Mnemo.MemoryGan;

/// <summary>Losses and discriminator outputs of one MemoryGAN iteration, with the memory's update counts.</summary>
public sealed record MemoryGanLosses(double DLoss, double GLoss, double Mi, double DReal, double DFake, MemoryUpdate Update) : IStepLosses
{
    public IEnumerable<double?> Values => [DLoss, GLoss];
    public string Summary => $"D {DLoss:0.000} G {GLoss:0.000}";
}

/// <summary>Losses and memory statistics as logged at the logging cadence.</summary>
public sealed record MemoryGanTrainingRecord(long Step, double DLoss, double GLoss, double Mi, double DReal, double DFake, double MemoryRealFraction,
    double ReplacementsPerStep, double ReplacedShare, long SlotsInUse, double SecondsPerIteration) : IMetricRecord
{
    public static string? Event => null;
}

/// <summary>An evaluation: FID and IS on the evaluation classifier's features, the classifier's label histogram of
/// generated samples, and the share of real-valued memory slots.</summary>
/// <param name="SlotPurity">Share of the generated images whose classifier label is their slot's most common label
/// (slots drawn at least twice; see <see cref="Evaluation.FeatureEvaluator.Purity"/>); null for a --no-memory run and
/// for runs evaluated before it was measured.</param>
/// <param name="SlotsDrawn">Distinct slots among the evaluation's draws.</param>
/// <param name="EffectiveSlots">exp(entropy) of the slot draw distribution ∝ h·v (see
/// <see cref="DiscriminativeMemory.SamplingConcentration"/>).</param>
/// <param name="TopPercentSlotShare">Share of the draw distribution held by the top 1 % of slots.</param>
public sealed record MemoryGanEvaluation(long Step, double FidClassifier, double IsClassifier, double IsClassifierStd, int ClassesGenerated,
    double[] LabelHistogram, double MemoryRealFraction, double? SlotPurity = null, int? SlotsDrawn = null, double? EffectiveSlots = null,
    double? TopPercentSlotShare = null) : IMetricRecord
{
    public static string? Event => "evaluation";

    public IEnumerable<(string Name, double Value)> Scalars()
    {
        var all = new (string, double?)[]
        {
            ("FID (classifier features)", FidClassifier), ("IS (classifier)", IsClassifier), ("IS std", IsClassifierStd),
            ("classes generated", ClassesGenerated), ("real-valued memory slots (share)", MemoryRealFraction),
            ("slot purity", SlotPurity), ("slots drawn", SlotsDrawn), ("effective slots", EffectiveSlots), ("top 1 % slots' draw share", TopPercentSlotShare),
        };
        return all.Where(m => m.Item2.HasValue).Select(m => (m.Item1, m.Item2!.Value));
    }
}
