using Mnemo.Training;
using Mnemo.Training.TensorBoard;

namespace Mnemo.Continual;

/// <summary>Losses of one continual iteration as logged at the logging cadence (rounded to 6 decimals; a term
/// that does not apply is left out).</summary>
public sealed record ContinualTrainingRecord(long Step, [property: Position] int Task, [property: Position] int Iteration, double? CriticLoss, double? Wasserstein,
    double? GradientPenalty, double? GeneratorLoss, double? ReplayAlignment, double? JtrCritic, double? JtrGenerator, double? Ewc,
    double? SolverLoss, double? RealClassAccuracy, double? SecondsPerIteration, double? ReplayClassification = null) : IMetricRecord
{
    public static string? Event => null;

    public static ContinualTrainingRecord Of(StepStats s, StepPosition at, double secondsPerIteration)
    {
        static double? R(double? v) => v is { } d ? MetricRecords.Rounded(d) : null;
        return new(at.Step, at.Phase + 1, at.Iteration, R(s.CriticLoss), R(s.WassersteinEstimate), R(s.GradientPenalty), R(s.GeneratorLoss),
            R(s.ReplayAlignment), R(s.JtrCritic), R(s.JtrGenerator), R(s.Ewc), R(s.SolverLoss), R(s.RealClassAccuracy), R(secondsPerIteration),
            R(s.ReplayClassification));
    }
}

/// <summary>The evaluation after a task: average accuracy on generated images of the seen classes, FID, each seen
/// class's accuracy (by class name; absent in runs written before it was logged) and, after the last task, the
/// reverse accuracy.</summary>
public sealed record ContinualEvaluationRecord(long Step, [property: Position] int Task, double AverageAccuracy, double? Fid,
    IReadOnlyDictionary<string, double>? ClassAccuracy = null, double? ReverseAccuracy = null) : IMetricRecord
{
    public static string? Event => "evaluation";
}
