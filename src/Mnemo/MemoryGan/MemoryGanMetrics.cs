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
public sealed record MemoryGanEvaluation(long Step, double FidClassifier, double IsClassifier, double IsClassifierStd, int ClassesGenerated,
    double[] LabelHistogram, double MemoryRealFraction) : IMetricRecord
{
    public static string? Event => "evaluation";

    public IEnumerable<(string Name, double Value)> Scalars() =>
    [
        ("FID (classifier features)", FidClassifier), ("IS (classifier)", IsClassifier), ("IS std", IsClassifierStd),
        ("classes generated", ClassesGenerated), ("real-valued memory slots (share)", MemoryRealFraction),
    ];
}
