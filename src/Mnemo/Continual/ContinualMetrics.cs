using Mnemo.Training;

namespace Mnemo.Continual;

/// <summary>Losses of one continual iteration as logged at the logging cadence (rounded to 6 decimals; a term
/// that does not apply is left out).</summary>
public sealed record ContinualTrainingRecord(long Step, int Task, int Iteration, double? CriticLoss, double? Wasserstein,
    double? GradientPenalty, double? GeneratorLoss, double? ReplayAlignment, double? JtrCritic, double? JtrGenerator, double? Ewc,
    double? SolverLoss, double? RealClassAccuracy, double? SecondsPerIteration) : IMetricRecord
{
    public static string? Event => null;

    public static ContinualTrainingRecord Of(StepStats s, StepPosition at, double secondsPerIteration)
    {
        static double? R(double? v) => v is { } d ? MetricRecords.Rounded(d) : null;
        return new(at.Step, at.Phase + 1, at.Iteration, R(s.CriticLoss), R(s.WassersteinEstimate), R(s.GradientPenalty), R(s.GeneratorLoss),
            R(s.ReplayAlignment), R(s.JtrCritic), R(s.JtrGenerator), R(s.Ewc), R(s.SolverLoss), R(s.RealClassAccuracy), R(secondsPerIteration));
    }
}

/// <summary>The evaluation after a task: average accuracy on generated images of the seen classes and FID.</summary>
public sealed record ContinualEvaluationRecord(long Step, int Task, double AverageAccuracy, double? Fid) : IMetricRecord
{
    public static string? Event => "evaluation";
}
