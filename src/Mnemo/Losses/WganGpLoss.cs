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
    /// <para>The slope is libtorch's vector norm, not <c>sqrt(sum(g²))</c> as in the official code: the same value,
    /// but where a sample's gradient is exactly zero (a critic that is flat there, or a gradient that underflows)
    /// sqrt's derivative 1/(2·√0) times 0 makes NaN, which the critic step then writes into every weight; the
    /// norm's derivative is defined as 0 there.</para>
    /// </summary>
    public static Tensor GradientPenalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake)
    {
        using var scope = NewDisposeScope();
        var alpha = rand(real.shape[0], 1, 1, 1, device: real.device);
        var interpolates = real.detach().add(alpha.mul(fake.detach().sub(real.detach()))).requires_grad_(true);
        var scores = critic(interpolates);
        var gradients = autograd.grad(new[] { scores.sum() }, new[] { interpolates }, retain_graph: true, create_graph: true)[0];
        var slopes = linalg.vector_norm(gradients.flatten(1), dims: new long[] { 1 });
        return slopes.sub(1.0).square().mean().MoveToOuterDisposeScope();
    }
}
