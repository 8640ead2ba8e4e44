using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.MemoryGan;

/// <summary>How an EM update raises the histogram of the slots it updates.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(IdEnumConverter<HistogramUpdate>))]
public enum HistogramUpdate
{
    /// <summary>The official code (memory.py, <c>hists_upd + reduce_sum(posterior − prev_posterior)</c>): every slot of
    /// the query's k-slot pool gains the pool's total posterior change (1 at the first EM step), so h settles near
    /// 1/(1 − α) = 2 and a key moves about γ/2 ≈ 1/(2k) of the way to each query.</summary>
    Official,
    /// <summary>The paper's incremental EM as written, h_i ← ĥ_i + γ_i^t − γ_i^(t−1): each slot gains its own
    /// posterior, so a rarely chosen slot keeps h ≈ γ and its key jumps most of the way to a query.</summary>
    Paper,
}

/// <summary>What one memory update did.</summary>
public sealed record MemoryUpdate(int Queries, int Replacements, int EmUpdates);

/// <summary>
/// MemoryGAN's discriminative memory (Kim, Kim &amp; Kim, ICLR 2018): N unit-norm keys K (N×M) with binary values
/// v (real 1 / fake 0), ages a and a slot histogram h, read as a von Mises–Fisher mixture:
/// p(c = i | x) ∝ exp(κ K_iᵀq)(h_i + β). The lookup gives p(y = 1 | x) from the top-k slots and is differentiable in
/// the query only; the update (outside autograd) writes a query into the oldest slot when its most probable slot
/// carries the other label (official memory.py), and otherwise runs T steps of incremental EM on its k nearest slots
/// with that label, starting from ĥ = αh, raising h as <see cref="HistogramUpdate"/> says. Everything is vectorised
/// over the batch; when several queries of a batch update the same slot, the last write wins, as in the official code.
/// </summary>
public sealed class DiscriminativeMemory : IDisposable
{
    public int Size { get; }
    public int KeyDim { get; }
    public int TopK { get; }
    public double Kappa { get; }
    public double Alpha { get; }
    public double Beta { get; }
    public int EmIterations { get; }
    public HistogramUpdate HistogramUpdate { get; }

    public Tensor Keys { get; private set; }
    public Tensor Values { get; private set; }
    public Tensor Ages { get; private set; }
    public Tensor Histogram { get; private set; }

    public DiscriminativeMemory(int size, int keyDim, int topK, double kappa = 1, double alpha = 0.5, double beta = 1e-8, int emIterations = 1, Generator? generator = null,
        HistogramUpdate histogramUpdate = HistogramUpdate.Official)
    {
        if (size < 2 || keyDim < 1 || topK < 1 || topK > size) throw new MnemoException($"memory needs size ≥ 2 and 1 ≤ k ≤ size (size {size}, k {topK})");
        Size = size; KeyDim = keyDim; TopK = topK; Kappa = kappa; Alpha = alpha; Beta = beta; EmIterations = emIterations; HistogramUpdate = histogramUpdate;
        // Random unit keys (the official code starts from all-zero keys, which are not unit vectors); the first half
        // of the slots hold real values, the second half fake, ages 0, histogram 1e-5 (official).
        Keys = nn.functional.normalize(randn(size, keyDim, generator: generator), p: 2, dim: 1);
        Values = cat(new[] { ones(size / 2), zeros(size - size / 2) });
        Ages = zeros(size);
        Histogram = full(size, 1e-5f);
    }

    /// <summary>An empty memory with a run's settings (size, key size, k, κ, α, β, EM steps, histogram update).</summary>
    public static DiscriminativeMemory For(MemoryGanOptions o) =>
        new(o.MemorySize, o.KeyDim, o.TopK, o.Kappa, o.Alpha, o.Beta, o.EmIterations, histogramUpdate: o.HistogramUpdate);

    /// <summary>log of the unnormalised posterior, κKᵀq + log(h + β), for unit queries q (B×M) → B×N.</summary>
    public Tensor LogPrior(Tensor q) => q.matmul(Keys.t()).mul(Kappa).add(Histogram.add(Beta).log().unsqueeze(0));

    /// <summary>The full posterior p(c | x) over all slots (B×N), for tests and inspection.</summary>
    public Tensor Posterior(Tensor q) => LogPrior(Normalize(q)).softmax(1);

    public static Tensor Normalize(Tensor q) => nn.functional.normalize(q, p: 2, dim: 1);

    /// <summary>p(y = 1 | x) ≈ Σ_{i∈S} v_i p(c = i | x) over the top-k slots S (B). Gradients reach the query only.</summary>
    public Tensor RealProbability(Tensor query)
    {
        using var scope = NewDisposeScope();
        var q = Normalize(query);
        Tensor topIdx;
        using (no_grad()) topIdx = LogPrior(q.detach()).topk(TopK, 1).indexes;
        var keys = Keys.index_select(0, topIdx.view(-1)).view(topIdx.shape[0], TopK, KeyDim);
        var logits = q.unsqueeze(1).mul(keys).sum(2).mul(Kappa).add(Histogram.add(Beta).log().index_select(0, topIdx.view(-1)).view(topIdx.shape));
        var posterior = logits.softmax(1);
        var values = Values.index_select(0, topIdx.view(-1)).view(topIdx.shape);
        return posterior.mul(values).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>Writes a batch of queries with their labels (1 real, 0 fake) into the memory.</summary>
    public MemoryUpdate Update(Tensor query, Tensor labels)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var q = Normalize(query.detach());
        var y = labels.to_type(ScalarType.Float32).view(-1);
        long b = q.shape[0];
        Ages.add_(1);

        var logPrior = LogPrior(q);
        // Replacement test (official memory.py, correct_in_top = 1): does the most probable slot, c* = argmax
        // p(c | x) over all slots, carry the query's label? If not, the query replaces the oldest slot.
        var nearest = logPrior.argmax(1);
        var hasLabel = Values.index_select(0, nearest).eq(y);
        var resetRows = hasLabel.logical_not().nonzero().view(-1);
        var emRows = hasLabel.nonzero().view(-1);
        int resets = (int)resetRows.shape[0], ems = (int)emRows.shape[0];

        if (ems > 0)
        {
            // k nearest slots among those holding the query's label.
            var mismatch = Values.unsqueeze(0).ne(y.index_select(0, emRows).unsqueeze(1));
            var masked = logPrior.index_select(0, emRows).masked_fill(mismatch, double.NegativeInfinity);
            var slots = masked.topk(TopK, 1).indexes;                                     // E×k
            var usable = masked.gather(1, slots).isfinite();                                 // fewer than k matching slots
            var qe = q.index_select(0, emRows);
            var k = Keys.index_select(0, slots.view(-1)).view(ems, TopK, KeyDim);
            var h = Histogram.index_select(0, slots.view(-1)).view(ems, TopK).mul(Alpha);
            var gammaPrevious = zeros(ems, TopK);
            for (int t = 0; t < EmIterations; t++)
            {
                var logits = qe.unsqueeze(1).mul(k).sum(2).mul(Kappa).add(h.add(Beta).log()).masked_fill(usable.logical_not(), double.NegativeInfinity);
                var gamma = logits.softmax(1);
                var delta = gamma.sub(gammaPrevious);
                h = HistogramUpdate == HistogramUpdate.Official ? h.add(delta.sum(1, keepdim: true)) : h.add(delta);
                k = k.add(delta.div(h).unsqueeze(2).mul(qe.unsqueeze(1).sub(k)));
                gammaPrevious = gamma;
            }
            k = nn.functional.normalize(k, p: 2, dim: 2);
            var flatSlots = slots.masked_select(usable);
            Keys.index_copy_(0, flatSlots, k.view(-1, KeyDim).index_select(0, usable.view(-1).nonzero().view(-1)));
            Histogram.index_copy_(0, flatSlots, h.masked_select(usable));
            Ages.index_fill_(0, flatSlots, 0);
        }
        if (resets > 0)
        {
            // Each replacing query takes its own oldest slot.
            var oldest = Ages.topk(Math.Min(resets, Size), 0).indexes;
            var rows = resetRows.narrow(0, 0, oldest.shape[0]);
            var meanHistogram = Histogram.mean().item<float>();
            Keys.index_copy_(0, oldest, q.index_select(0, rows));
            Values.index_copy_(0, oldest, y.index_select(0, rows));
            Histogram.index_fill_(0, oldest, meanHistogram);
            Ages.index_fill_(0, oldest, 0);
        }
        return new MemoryUpdate((int)b, resets, ems);
    }

    /// <summary>Draws <paramref name="n"/> slots with probability ∝ h_i v_i (real-valued slots weighted by use) and
    /// returns their indices (n int64 values in [0, Size)). A memory whose real-valued slots all have zero use draws
    /// among the real-valued slots uniformly; one without any real-valued slot (fake queries replaced them all, which
    /// a small memory can reach) draws among all slots uniformly instead of failing.</summary>
    public Tensor SampleRealSlots(int n, Generator? generator = null)
    {
        using var _ = no_grad();
        using var weighted = Histogram.mul(Values);
        var weights = weighted.sum().item<float>() > 0 ? weighted
            : Values.sum().item<float>() > 0 ? Values
            : Histogram.new_ones(Size);
        return multinomial(weights, n, replacement: true, generator: generator);
    }

    public double RealFraction => Values.mean().item<float>();

    /// <summary>How concentrated the generator's slot draws are: the effective number of slots exp(H(p)) of the
    /// draw distribution p ∝ h·v (N = uniform over N slots, 1 = a single slot), and the share of p held by the 1 %
    /// of slots with the largest weight (at least one slot).</summary>
    public (double EffectiveSlots, double TopPercentShare) SamplingConcentration()
    {
        using var scope = NewDisposeScope();
        var w = Histogram.mul(Values);
        var total = w.sum().item<float>();
        if (total <= 0) return (0, 0);
        var p = w.div(total);
        double entropy = p.mul(p.clamp_min(1e-30).log()).sum().neg().item<float>();
        int top = Math.Max(1, Size / 100);
        return (Math.Exp(entropy), p.topk(top).values.sum().item<float>());
    }

    public void Restore(Tensor keys, Tensor values, Tensor ages, Tensor histogram)
    {
        if (!keys.shape.SequenceEqual(Keys.shape)) throw new MnemoException($"checkpoint memory has shape [{string.Join(",", keys.shape)}], this run [{string.Join(",", Keys.shape)}]");
        Dispose();
        Keys = keys; Values = values; Ages = ages; Histogram = histogram;
    }

    public void Dispose()
    {
        Keys.Dispose(); Values.Dispose(); Ages.Dispose(); Histogram.Dispose();
    }
}
