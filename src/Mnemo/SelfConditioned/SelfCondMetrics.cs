using Mnemo.Training;
using Mnemo.Training.TensorBoard;

namespace Mnemo.SelfConditioned;

/// <summary>Losses of one iteration (non-saturating discriminator and generator losses).</summary>
public sealed record SelfCondLosses(double DLoss, double GLoss) : IStepLosses
{
    public IEnumerable<double?> Values => [DLoss, GLoss];
    public string Summary => $"D {DLoss:0.000} G {GLoss:0.000}";
}

/// <summary>The losses as logged at the logging cadence.</summary>
public sealed record SelfCondTrainingRecord(long Step, double DLoss, double GLoss, double SecondsPerIteration) : IMetricRecord
{
    public static string? Event => null;
}

/// <summary>One re-clustering: samples that changed cluster, k-means inertia, non-empty clusters and their sizes.</summary>
public sealed record ClusteringRecord(long Step, int Changed, double Inertia, int Nonempty, [property: Distribution] int[] Sizes) : IMetricRecord
{
    public static string? Event => "clustering";

    public static ClusteringRecord Of(ClusteringEvent e) =>
        new(e.Iteration, e.Changed, e.Inertia, e.Sizes.Count(s => s > 0), e.Sizes);
}
