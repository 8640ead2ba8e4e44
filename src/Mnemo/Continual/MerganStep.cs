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
public sealed class MerganStep : IDisposable
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

    /// <summary>One iteration. Its losses stay on the models' device (the last critic step's terms, the generator
    /// step's, the solver's), read by the engine at its logging cadence.</summary>
    public DeviceLosses<StepStats> Run(int iteration)
    {
        using var scope = NewDisposeScope();
        GeneratorTerms? g = null;
        if (iteration > 0) g = GeneratorStep();
        CriticTerms? d = null;
        for (int i = 0; i < _o.CriticIterations; i++) d = CriticStep();
        var solver = _m.Labels.StepAfterCritic(_task, _o.BatchSize);
        return DeviceLosses<StepStats>.Of(v => new StepStats(v[0]!.Value, -v[1]!.Value, v[2]!.Value, v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]),
            d!.Loss, d.Wd, d.Gp, g?.Loss, g?.Ra, d.Jtr, g?.Jtr, g?.Ewc, solver, d.Accuracy, d.ReplayClass);
    }

    /// <summary>A critic step's scalar terms, detached, in the caller's dispose scope.</summary>
    sealed record CriticTerms(Tensor Loss, Tensor Wd, Tensor Gp, Tensor? Jtr, Tensor? Accuracy, Tensor? ReplayClass);

    /// <summary>A generator step's scalar terms, detached, in the caller's dispose scope.</summary>
    sealed record GeneratorTerms(Tensor Loss, Tensor? Ra, Tensor? Jtr, Tensor? Ewc);

    /// <summary>The labels of the replay batch (fixed for a task), on the models' device.</summary>
    Tensor? _replayLabels;

    public void Dispose() => _replayLabels?.Dispose();

    /// <summary>Noise and labels for replaying earlier classes: batch/|earlier| samples per class, grouped by class
    /// (the official code's REDUCE_BATCH split).</summary>
    internal (Tensor Z, Tensor Labels, int Groups) ReplayInputs()
    {
        int perClass = Math.Max(2, _o.BatchSize / PreviousClasses.Length);
        _replayLabels ??= tensor(PreviousClasses.SelectMany(c => Enumerable.Repeat((long)c, perClass)).ToArray(), device: _m.Device).DetachFromDisposeScope();
        return (randn(_replayLabels.shape[0], _o.ZDim, device: _m.Device), _replayLabels, PreviousClasses.Length);
    }

    CriticTerms CriticStep()
    {
        using var scope = NewDisposeScope();
        var (real, labels) = _m.Labels.RealBatch(_task, _o.BatchSize);
        Tensor fake;
        using (no_grad()) fake = _m.Generator.forward(randn(real.shape[0], _o.ZDim, device: _m.Device), _m.Labels.FakeLabels(labels));

        _m.CriticOptimizer.zero_grad();
        var (realScore, realLogits) = _m.Critic.forward(real);
        var (fakeScore, _) = _m.Critic.forward(fake);
        var wd = WganGpLoss.Critic(realScore, fakeScore);
        var gp = WganGpLoss.GradientPenalty(x => _m.Critic.forward(x).Critic, real, fake);
        var loss = wd.add(gp.mul(_o.GradientPenaltyWeight));
        Tensor? acc = null;
        if (_m.Labels.ClassLoss(realLogits, labels) is { } classLoss)
        {
            loss = loss.add(classLoss.mul(_o.AcganScaleCritic));
            acc = AuxiliaryClassifierLoss.Accuracy(realLogits, labels);
        }
        Tensor? jtr = null;
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
            jtr = jtrLoss;
        }
        Tensor? replayClass = null;
        if (_m.Method.ClassifiesReplay() && _task.Replays)
        {
            // Label-free RA: the critic's cluster classifier keeps the earlier clusters by classifying the frozen
            // generator's replay of them (no adversarial term; the generator's replay alignment is unchanged).
            var (z, replayLabels, groups) = ReplayInputs();
            Tensor old;
            using (no_grad()) old = _m.ReplayGenerator!.Generate(z, replayLabels, groups);
            var replayLoss = AuxiliaryClassifierLoss.Compute(_m.Critic.forward(old).ClassLogits, replayLabels).mul(_o.AcganScaleCritic * ReplayClassificationScale());
            loss = loss.add(replayLoss);
            replayClass = replayLoss;
        }
        loss.backward();
        _m.CriticOptimizer.step();
        return new CriticTerms(Keep(loss)!, Keep(wd)!, Keep(gp)!, Keep(jtr), Keep(acc), Keep(replayClass));
    }

    /// <summary>Label-free RA's scale of the replay classification: 1, or the earlier clusters over the task's under
    /// <see cref="ReplayClassificationWeighting.PerCluster"/> (both batches' cross-entropies are means).</summary>
    double ReplayClassificationScale() => _o.EffectiveReplayClassification == ReplayClassificationWeighting.PerCluster
        ? (double)PreviousClasses.Length / ((LabelFree.IClusterLabels)_m.Labels).ClustersPerTask
        : 1.0;

    /// <summary>A detached copy of a scalar term that outlives the step's dispose scope (it joins the iteration's).</summary>
    static Tensor? Keep(Tensor? t) => t?.detach().MoveToOuterDisposeScope();

    GeneratorTerms GeneratorStep()
    {
        using var scope = NewDisposeScope();
        foreach (var p in _m.Critic.parameters()) p.requires_grad = false; // no critic gradients in this step
        try
        {
            _m.GeneratorOptimizer.zero_grad();
            var labels = _m.Labels.GeneratorLabels(_task, _o.BatchSize);
            var fake = _m.Generator.forward(randn(_o.BatchSize, _o.ZDim, device: _m.Device), labels);
            var (score, logits) = _m.Critic.forward(fake);
            var loss = WganGpLoss.Generator(score);
            if (_m.Labels.ClassLoss(logits, labels) is { } classLoss) loss = loss.add(classLoss.mul(_o.AcganScaleGenerator));
            Tensor? ra = null, jtr = null, ewc = null;
            if (_m.Method.AlignsReplay() && _task.Replays)
            {
                var (z, replayLabels, groups) = ReplayInputs();
                Tensor old;
                using (no_grad()) old = _m.ReplayGenerator!.Generate(z, replayLabels, groups);
                var current = _m.Generator.Generate(z, replayLabels, groups);
                var raLoss = ReplayAlignmentLoss.Compute(current, old, _o.RaFactor, PreviousClasses.Length, _o.EffectiveRaWeighting);
                loss = loss.add(raLoss);
                ra = raLoss;
            }
            if (_m.Method.TrainsOnReplay() && _task.Replays)
            {
                var (z, replayLabels, groups) = ReplayInputs();
                var current = _m.Generator.Generate(z, replayLabels, groups);
                var (newScore, newLogits) = _m.Critic.forward(current);
                int k = PreviousClasses.Length;
                var jtrLoss = newScore.mean().neg().mul(k).add(AuxiliaryClassifierLoss.Compute(newLogits, replayLabels).mul(k));
                loss = loss.add(jtrLoss);
                jtr = jtrLoss;
            }
            if (_m.Ewc is { IsEmpty: false })
            {
                var penalty = _m.Ewc.Compute(_m.Generator);
                loss = loss.add(penalty);
                ewc = penalty;
            }
            loss.backward();
            _m.GeneratorOptimizer.step();
            _m.UpdateGeneratorAverage();
            return new GeneratorTerms(Keep(loss)!, Keep(ra), Keep(jtr), Keep(ewc));
        }
        finally
        {
            foreach (var p in _m.Critic.parameters()) p.requires_grad = true;
        }
    }
}
