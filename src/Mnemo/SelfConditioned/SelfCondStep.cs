using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>
/// One Self-Conditioned GAN iteration with the non-saturating loss: a generator step, then a discriminator step.
/// The fake batch is conditioned on the labels of the real batch (cluster, true class or 0 for the baselines), so
/// the generator's c follows the empirical cluster sizes.
/// </summary>
public sealed class SelfCondStep
{
    readonly SelfCondModels _m;
    readonly SampleSet _train;
    readonly Func<Tensor, Tensor, Tensor> _condition;
    readonly int _batch;
    readonly int _zDim;

    /// <param name="condition">Labels for a real batch (samples, their indices in <paramref name="train"/>).</param>
    public SelfCondStep(SelfCondModels models, SampleSet train, Func<Tensor, Tensor, Tensor> condition, int batchSize, int zDim)
    {
        _m = models;
        _train = train;
        _condition = condition;
        _batch = batchSize;
        _zDim = zDim;
    }

    /// <summary>One iteration; its losses stay on the models' device.</summary>
    public Training.DeviceLosses<SelfCondLosses> Run()
    {
        using var scope = NewDisposeScope();
        var device = _m.Device;
        var idx = randint(0, _train.Count, _batch, dtype: ScalarType.Int64, device: _train.Device);
        var real = _train.Batch(idx);
        var y = _condition(real, idx);

        foreach (var p in _m.Discriminator.parameters()) p.requires_grad = false; // no D gradients in the G step
        _m.GeneratorOptimizer.zero_grad();
        var fakeForG = _m.Generator.forward(randn(_batch, _zDim, device: device), y);
        var lossG = nn.functional.binary_cross_entropy_with_logits(_m.Discriminator.forward(fakeForG, y), ones(_batch, device: device));
        lossG.backward();
        _m.GeneratorOptimizer.step();
        foreach (var p in _m.Discriminator.parameters()) p.requires_grad = true;

        _m.DiscriminatorOptimizer.zero_grad();
        Tensor fake;
        using (no_grad()) fake = _m.Generator.forward(randn(_batch, _zDim, device: device), y);
        var lossD = nn.functional.binary_cross_entropy_with_logits(_m.Discriminator.forward(real, y), ones(_batch, device: device))
            .add(nn.functional.binary_cross_entropy_with_logits(_m.Discriminator.forward(fake, y), zeros(_batch, device: device)));
        lossD.backward();
        _m.DiscriminatorOptimizer.step();
        return Training.DeviceLosses<SelfCondLosses>.Of(v => new SelfCondLosses(v[0]!.Value, v[1]!.Value), lossD, lossG);
    }
}
