using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Losses;

/// <summary>
/// Elastic weight consolidation on the generator: λ/2 Σ_i F_i (θ_i − θ*_i)², with θ* the weights after the
/// previous task and F the (accumulated) diagonal Fisher information of earlier tasks.
/// </summary>
public sealed class EwcPenalty : IDisposable
{
    readonly List<(string Name, Tensor Anchor, Tensor Fisher)> _terms = new();

    public double Lambda { get; }
    public bool IsEmpty => _terms.Count == 0;
    public IReadOnlyList<(string Name, Tensor Anchor, Tensor Fisher)> Terms => _terms;

    public EwcPenalty(double lambda) => Lambda = lambda;

    /// <summary>Anchors at the module's current weights and adds <paramref name="fisher"/> to the accumulated Fisher.</summary>
    public void Consolidate(nn.Module module, IReadOnlyDictionary<string, Tensor> fisher)
    {
        var previous = _terms.ToDictionary(t => t.Name, t => t.Fisher);
        var anchors = new List<(string, Tensor, Tensor)>();
        foreach (var (name, p) in module.named_parameters())
        {
            if (!fisher.TryGetValue(name, out var f)) continue;
            var total = previous.TryGetValue(name, out var old) ? old.add(f) : f.clone();
            anchors.Add((name, p.detach().clone(), total));
        }
        Dispose();
        _terms.AddRange(anchors);
    }

    public Tensor Compute(nn.Module module)
    {
        var parameters = module.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Tensor? sum = null;
        foreach (var (name, anchor, fisher) in _terms)
        {
            var term = fisher.mul(parameters[name].sub(anchor).square()).sum();
            sum = sum is null ? term : sum.add(term);
        }
        return sum is null ? zeros(1, device: parameters.Values.First().device).squeeze() : sum.mul(Lambda / 2.0);
    }

    public void Restore(IEnumerable<(string Name, Tensor Anchor, Tensor Fisher)> terms)
    {
        Dispose();
        _terms.AddRange(terms);
    }

    public void Dispose()
    {
        foreach (var (_, a, f) in _terms) { a.Dispose(); f.Dispose(); }
        _terms.Clear();
    }
}
