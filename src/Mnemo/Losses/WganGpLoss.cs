using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Losses;

/// <summary>WGAN-GP (Gulrajani et al.) terms: critic loss E[D(fake)] − E[D(real)] + λ·GP, generator loss −E[D(fake)].</summary>
public static class WganGpLoss
{
    public static Tensor Critic(Tensor realScores, Tensor fakeScores) => fakeScores.mean().sub(realScores.mean());

    public static Tensor Generator(Tensor fakeScores) => fakeScores.mean().neg();

    /// <summary>
    /// E[(‖∇_x̂ D(x̂)‖₂ − 1)²] on x̂ = real + α(fake − real), α ~ U(0, 1) per sample. The graph is kept
    /// (create_graph and retain_graph both set: TorchSharp does not derive one from the other) so that the
    /// penalty can be back-propagated into the critic's weights.
    /// </summary>
    public static Tensor GradientPenalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake)
    {
        using var scope = NewDisposeScope();
        var alpha = rand(real.shape[0], 1, 1, 1, device: real.device);
        var interpolates = real.detach().add(alpha.mul(fake.detach().sub(real.detach()))).requires_grad_(true);
        var scores = critic(interpolates);
        var gradients = autograd.grad(new[] { scores.sum() }, new[] { interpolates }, retain_graph: true, create_graph: true)[0];
        var slopes = gradients.flatten(1).square().sum(1).sqrt();
        return slopes.sub(1.0).square().mean().MoveToOuterDisposeScope();
    }
}
