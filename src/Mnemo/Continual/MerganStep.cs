using Mnemo.Data;
using Mnemo.Losses;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>Scalar losses of one training iteration (null where a term does not apply or was not computed, e.g.
/// the generator loss at a task's first iteration).</summary>
public sealed record StepStats(double CriticLoss, double WassersteinEstimate, double GradientPenalty, double? GeneratorLoss,
    double? ReplayAlignment, double? JtrCritic, double? JtrGenerator, double? Ewc, double? SolverLoss, double? RealClassAccuracy,
    double? ReplayClassification = null) : IStepLosses
{
    public IEnumerable<double?> Values => [CriticLoss, WassersteinEstimate, GradientPenalty, GeneratorLoss, ReplayAlignment, JtrCritic, JtrGenerator, Ewc, SolverLoss, ReplayClassification];

    public string Summary => $"D {CriticLoss:0.00} G {GeneratorLoss ?? double.NaN:0.00} W {WassersteinEstimate:0.00}";
}

/// <summary>
/// One MeRGAN iteration as the official code runs it: a generator step (skipped at a task's first iteration),
/// then <c>CriticIterations</c> critic steps, each with the method's extra terms.
/// </summary>
public sealed class MerganStep
{
    readonly MerganModels _m;
    readonly MerganOptions _o;
    readonly TaskBatches _task;

    /// <param name="taskData">Real images this task trains on (its classes; for JT every class seen so far).</param>
    /// <param name="previousClasses">Classes of earlier tasks, replayed by JTR/RA/DGR.</param>
    /// <param name="newClassShare">The task's classes over the classes seen so far (DGR's share of real images).</param>
    public MerganStep(MerganModels models, ImageDataset taskData, int[] previousClasses, double newClassShare)
    {
        _m = models;
        _o = models.Options;
        _task = new TaskBatches(models, taskData, previousClasses, newClassShare);
    }

    /// <summary>What this task trains on.</summary>
    public TaskBatches Task => _task;

    int[] PreviousClasses => _task.PreviousClasses;

    public StepStats Run(int iteration)
    {
        double? g = null, ra = null, jtrG = null, ewc = null;
        if (iteration > 0) (g, ra, jtrG, ewc) = GeneratorStep();
        double d = 0, wd = 0, gp = 0;
        double? jtrD = null, acc = null, replayClass = null;
        for (int i = 0; i < _o.CriticIterations; i++) (d, wd, gp, jtrD, acc, replayClass) = CriticStep();
        double? solver = _m.Labels.StepAfterCritic(_task, _o.BatchSize);
        return new StepStats(d, wd, gp, g, ra, jtrD, jtrG, ewc, solver, acc, replayClass);
    }

    /// <summary>Noise and labels for replaying earlier classes: batch/|earlier| samples per class, grouped by class
    /// (the official code's REDUCE_BATCH split).</summary>
    internal (Tensor Z, Tensor Labels, int Groups) ReplayInputs()
    {
        int perClass = Math.Max(2, _o.BatchSize / PreviousClasses.Length);
        var labels = tensor(PreviousClasses.SelectMany(c => Enumerable.Repeat((long)c, perClass)).ToArray());
        return (randn(labels.shape[0], _o.ZDim), labels, PreviousClasses.Length);
    }

    (double Loss, double Wd, double Gp, double? Jtr, double? Acc, double? ReplayClass) CriticStep()
    {
        using var scope = NewDisposeScope();
        var (real, labels) = _m.Labels.RealBatch(_task, _o.BatchSize);
        Tensor fake;
        using (no_grad()) fake = _m.Generator.forward(randn(real.shape[0], _o.ZDim), _m.Labels.FakeLabels(labels));

        _m.CriticOptimizer.zero_grad();
        var (realScore, realLogits) = _m.Critic.forward(real);
        var (fakeScore, _) = _m.Critic.forward(fake);
        var wd = WganGpLoss.Critic(realScore, fakeScore);
        var gp = WganGpLoss.GradientPenalty(x => _m.Critic.forward(x).Critic, real, fake);
        var loss = wd.add(gp.mul(_o.GradientPenaltyWeight));
        double? acc = null;
        if (_m.Labels.ClassLoss(realLogits, labels) is { } classLoss)
        {
            loss = loss.add(classLoss.mul(_o.AcganScaleCritic));
            acc = AuxiliaryClassifierLoss.Accuracy(realLogits, labels);
        }
        double? jtr = null;
        if (_m.Method.TrainsOnReplay() && _task.Replays)
        {
            // Old-generator samples count as real, new-generator samples of the same (z, c) as fake, with AC loss
            // on the old ones; summed over earlier classes as in the official code.
            var (z, replayLabels, groups) = ReplayInputs();
            Tensor old, current;
            using (no_grad())
            {
                old = _m.ReplayGenerator!.Generate(z, replayLabels, groups);
                current = _m.Generator.Generate(z, replayLabels, groups);
            }
            var (oldScore, oldLogits) = _m.Critic.forward(old);
            var (newScore, _) = _m.Critic.forward(current);
            int k = PreviousClasses.Length;
            var jtrLoss = newScore.mean().sub(oldScore.mean()).mul(k)
                .add(AuxiliaryClassifierLoss.Compute(oldLogits, replayLabels).mul(k));
            loss = loss.add(jtrLoss);
            jtr = jtrLoss.item<float>();
        }
        double? replayClass = null;
        if (_m.Method.ClassifiesReplay() && _task.Replays)
        {
            // Label-free RA: the critic's cluster classifier keeps the earlier clusters by classifying the frozen
            // generator's replay of them (no adversarial term; the generator's replay alignment is unchanged).
            var (z, replayLabels, groups) = ReplayInputs();
            Tensor old;
            using (no_grad()) old = _m.ReplayGenerator!.Generate(z, replayLabels, groups);
            var replayLoss = AuxiliaryClassifierLoss.Compute(_m.Critic.forward(old).ClassLogits, replayLabels).mul(_o.AcganScaleCritic);
            loss = loss.add(replayLoss);
            replayClass = replayLoss.item<float>();
        }
        loss.backward();
        _m.CriticOptimizer.step();
        return (loss.item<float>(), -wd.item<float>(), gp.item<float>(), jtr, acc, replayClass);
    }

    (double Loss, double? Ra, double? Jtr, double? Ewc) GeneratorStep()
    {
        using var scope = NewDisposeScope();
        foreach (var p in _m.Critic.parameters()) p.requires_grad = false; // no critic gradients in this step
        try
        {
            _m.GeneratorOptimizer.zero_grad();
            var labels = _m.Labels.GeneratorLabels(_task, _o.BatchSize);
            var fake = _m.Generator.forward(randn(_o.BatchSize, _o.ZDim), labels);
            var (score, logits) = _m.Critic.forward(fake);
            var loss = WganGpLoss.Generator(score);
            if (_m.Labels.ClassLoss(logits, labels) is { } classLoss) loss = loss.add(classLoss.mul(_o.AcganScaleGenerator));
            double? ra = null, jtr = null, ewc = null;
            if (_m.Method.AlignsReplay() && _task.Replays)
            {
                var (z, replayLabels, groups) = ReplayInputs();
                Tensor old;
                using (no_grad()) old = _m.ReplayGenerator!.Generate(z, replayLabels, groups);
                var current = _m.Generator.Generate(z, replayLabels, groups);
                var raLoss = ReplayAlignmentLoss.Compute(current, old, _o.RaFactor, PreviousClasses.Length, _o.EffectiveRaWeighting);
                loss = loss.add(raLoss);
                ra = raLoss.item<float>();
            }
            if (_m.Method.TrainsOnReplay() && _task.Replays)
            {
                var (z, replayLabels, groups) = ReplayInputs();
                var current = _m.Generator.Generate(z, replayLabels, groups);
                var (newScore, newLogits) = _m.Critic.forward(current);
                int k = PreviousClasses.Length;
                var jtrLoss = newScore.mean().neg().mul(k).add(AuxiliaryClassifierLoss.Compute(newLogits, replayLabels).mul(k));
                loss = loss.add(jtrLoss);
                jtr = jtrLoss.item<float>();
            }
            if (_m.Ewc is { IsEmpty: false })
            {
                var penalty = _m.Ewc.Compute(_m.Generator);
                loss = loss.add(penalty);
                ewc = penalty.item<float>();
            }
            loss.backward();
            _m.GeneratorOptimizer.step();
            _m.UpdateGeneratorAverage();
            return (loss.item<float>(), ra, jtr, ewc);
        }
        finally
        {
            foreach (var p in _m.Critic.parameters()) p.requires_grad = true;
        }
    }
}
