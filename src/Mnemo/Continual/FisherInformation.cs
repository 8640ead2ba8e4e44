using Mnemo.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>
/// Diagonal empirical Fisher information of the generator for the classes of a finished task: the mean squared
/// gradient of the generator's loss (−D(G(z,c)) + AC cross-entropy) over small batches of generated images.
/// </summary>
public static class FisherInformation
{
    public const int SamplesPerBatch = 8;

    public static Dictionary<string, Tensor> OfGenerator(MerganModels m, IReadOnlyList<int> classes, int batches)
    {
        var parameters = m.Generator.named_parameters().ToList();
        var fisher = parameters.ToDictionary(p => p.name, p => zeros_like(p.parameter));
        foreach (var p in m.Critic.parameters()) p.requires_grad = false;
        try
        {
            int count = 0;
            for (int b = 0; b < batches; b++)
                foreach (var c in classes)
                {
                    using var scope = NewDisposeScope();
                    var labels = full(SamplesPerBatch, (long)c, dtype: ScalarType.Int64, device: m.Device);
                    var (score, logits) = m.Critic.forward(m.Generator.forward(randn(SamplesPerBatch, m.Options.ZDim, device: m.Device), labels));
                    var loss = WganGpLoss.Generator(score).add(AuxiliaryClassifierLoss.Compute(logits, labels).mul(m.Options.AcganScaleGenerator));
                    var grads = autograd.grad(new[] { loss }, parameters.Select(p => (Tensor)p.parameter).ToArray(), allow_unused: true);
                    for (int i = 0; i < parameters.Count; i++)
                        if (grads[i] is { } g && !g.IsInvalid) fisher[parameters[i].name].add_(g.square());
                    count++;
                }
            foreach (var f in fisher.Values) f.div_(Math.Max(1, count));
            return fisher;
        }
        finally
        {
            foreach (var p in m.Critic.parameters()) p.requires_grad = true;
        }
    }
}
