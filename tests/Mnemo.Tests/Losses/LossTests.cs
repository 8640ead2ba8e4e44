using Mnemo.Losses;
using Mnemo.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Tests.Losses;

[Trait("Category", TestTraits.KernelSensitive)]
public class LossTests
{
    [Fact]
    public void GradientPenaltyIsZeroForAUnitSlopeCriticAndReachesWeights()
    {
        // D(x) = sum(x) / sqrt(n) has gradient norm exactly 1 everywhere.
        using var real = randn(4, 1, 2, 2);
        using var fake = randn(4, 1, 2, 2);
        using var gp = WganGpLoss.GradientPenalty(x => x.flatten(1).sum(1).div(2.0), real, fake);
        Assert.True(gp.item<float>() < 1e-10);

        // D(x) = w * sum(x): slope 2|w|, penalty (2|w| - 1)^2, gradient wrt w = 2(2|w|-1)*2.
        using var w = tensor(0.75f).requires_grad_(true);
        using var penalty = WganGpLoss.GradientPenalty(x => x.flatten(1).sum(1).mul(w), real, fake);
        Assert.Equal(0.25f, penalty.item<float>(), 4);
        penalty.backward();
        Assert.Equal(2f, w.grad!.item<float>(), 3);
    }

    [Fact]
    public void GradientPenaltyStaysFiniteWhereTheCriticIsFlat()
    {
        // D(x) = c · w · sum(x) with c = (0, 1) per sample: the first sample's gradient is exactly 0 (a critic that
        // is flat there). Penalty: ½[(0 − 1)² + (2|w| − 1)²] = 0.625 at w = 0.75, and its derivative in w,
        // (2w − 1)·2 = 1, must stay finite: with sqrt(sum(g²)) the flat sample's 1/(2·√0) · 0 made it NaN.
        using var real = randn(2, 1, 2, 2);
        using var fake = randn(2, 1, 2, 2);
        using var flatFirst = tensor(new float[] { 0, 1 });
        using var w = tensor(0.75f).requires_grad_(true);
        using var penalty = WganGpLoss.GradientPenalty(x => x.flatten(1).sum(1).mul(w).mul(flatFirst), real, fake);
        Assert.Equal(0.625f, penalty.item<float>(), 5);
        penalty.backward();
        Assert.Equal(1f, w.grad!.item<float>(), 4);
    }

    [Fact]
    public void WassersteinTermsHaveTheRightSigns()
    {
        using var real = tensor(new float[] { 2, 4 });
        using var fake = tensor(new float[] { 1, -1 });
        Assert.Equal(-3f, WganGpLoss.Critic(real, fake).item<float>(), 5);
        Assert.Equal(0f, WganGpLoss.Generator(fake).item<float>(), 5);
    }

    [Fact]
    public void ReplayAlignmentIsTfL2LossScaledAndZeroAfterCopy()
    {
        using var a = ones(2, 1, 2, 2);
        using var b = zeros(2, 1, 2, 2);
        Assert.Equal(8 / 2.0 * 1e-3 / 4, ReplayAlignmentLoss.Compute(a, b, 1e-3, 4).item<float>(), 6);

        random.manual_seed(3);
        using var g = new MerganGenerator(16, 3, 1, dim: 8);
        using var copy = new MerganGenerator(16, 3, 1, dim: 8);
        copy.load_state_dict(g.state_dict());
        using var z = randn(4, 16);
        using var labels = tensor(new long[] { 0, 0, 1, 1 });
        using var current = g.Generate(z, labels, 2);
        using var loss = ReplayAlignmentLoss.Compute(current, copy.Generate(z, labels, 2), 1e-3, 2);
        Assert.Equal(0f, loss.item<float>());
        using var shifted = ReplayAlignmentLoss.Compute(current.add(0.1), copy.Generate(z, labels, 2), 1e-3, 2);
        Assert.True(shifted.item<float>() > 0);
    }

    [Fact]
    public void SameEveryTaskWeightingIsNotDividedByTheEarlierClasses()
    {
        using var a = ones(2, 1, 2, 2);
        using var b = zeros(2, 1, 2, 2);
        using var same = ReplayAlignmentLoss.Compute(a, b, 1e-3, 4, ReplayAlignmentWeighting.SameEveryTask);
        using var official = ReplayAlignmentLoss.Compute(a, b, 1e-3, 4, ReplayAlignmentWeighting.DividedByEarlierClasses);
        Assert.Equal(8 / 2.0 * 1e-3, same.item<float>(), 6);
        Assert.Equal(4 * official.item<float>(), same.item<float>(), 6);
    }

    [Fact]
    public void EwcPenaltyIsZeroAtAnchorAndPositiveAwayWithGradient()
    {
        using var model = nn.Linear(3, 2);
        var fisher = model.named_parameters().ToDictionary(p => p.name, p => ones_like(p.parameter));
        using var ewc = new EwcPenalty(lambda: 10);
        ewc.Consolidate(model, fisher);
        Assert.Equal(0f, ewc.Compute(model).item<float>());
        using (no_grad()) model.weight!.add_(0.5);
        using var penalty = ewc.Compute(model);
        Assert.Equal(10 / 2.0 * 6 * 0.25, penalty.item<float>(), 4); // λ/2 Σ F (Δθ)², 6 weights moved by 0.5
        penalty.backward();
        Assert.True(model.weight!.grad!.abs().sum().item<float>() > 0);
        // Fisher accumulates across tasks.
        ewc.Consolidate(model, fisher);
        Assert.Equal(2f, ewc.Terms[0].Fisher.max().item<float>());
    }

    [Fact]
    public void AuxiliaryClassifierLossIsCrossEntropy()
    {
        using var logits = tensor(new float[,] { { 0, 0 } });
        using var labels = tensor(new long[] { 1 });
        Assert.Equal(Math.Log(2), AuxiliaryClassifierLoss.Compute(logits, labels).item<float>(), 5);
    }
}
