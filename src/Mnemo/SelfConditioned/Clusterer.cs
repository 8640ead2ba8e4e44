using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>What one (re-)clustering did: cluster sizes and how many cluster samples changed label.</summary>
public sealed record ClusteringEvent(long Iteration, int[] Sizes, int Changed, double Inertia);

/// <summary>
/// The Self-Conditioned GAN's clusterer: k-means on the discriminator features D_f of a fixed set of real samples.
/// The first clustering uses k-means++ (best of 10); each re-clustering starts from the means of the new features
/// grouped by the previous labels, and the Hungarian algorithm (on samples − overlap) maps new clusters onto old
/// ones so every G(·, c) keeps its target. Labels of real batches come from a frozen copy of D taken at the last
/// clustering, as in the official code. <typeparamref name="TNetwork"/> is the discriminator whose features are
/// clustered: the Self-Conditioned GAN's (<see cref="Clusterer"/>) or a MeRGAN critic (the label-free continual
/// methods, <see cref="LabelFree.ClusterLabels"/>).
/// </summary>
/// <typeparam name="TNetwork">A discriminator with <see cref="IFeatureNetwork.Features"/>.</typeparam>
public class FeatureClusterer<TNetwork> : IDisposable where TNetwork : TorchSharp.torch.nn.Module, IFeatureNetwork
{
    readonly Tensor _samples;
    readonly int _k;
    readonly Func<TNetwork> _createDiscriminator;
    readonly CheckpointableRandom _rng;
    TNetwork? _snapshot;
    KMeans? _means;

    /// <summary>Cluster label of each raw k-means cluster of the current fit (the Hungarian matching's result).</summary>
    public long[] Mapping { get; private set; } = Array.Empty<long>();
    /// <summary>Cluster label (0..k−1) of each clustered sample at the last clustering.</summary>
    public long[] SampleLabels { get; private set; } = Array.Empty<long>();

    /// <param name="samples">The fixed real samples that are clustered (N ≥ k), owned by the caller.</param>
    /// <param name="k">Number of clusters.</param>
    /// <param name="createDiscriminator">A new network of the discriminator's shape, for the snapshot.</param>
    /// <param name="seed">Seed of the clusterer's own random source (k-means++ seeding, reseeding of starved clusters).</param>
    public FeatureClusterer(Tensor samples, int k, Func<TNetwork> createDiscriminator, int seed)
    {
        _samples = samples;
        _k = k;
        _createDiscriminator = createDiscriminator;
        _rng = new CheckpointableRandom(seed);
    }

    public bool IsReady => _means is not null;
    public Tensor Centers => _means?.Centers ?? throw new InvalidOperationException("not clustered yet");

    /// <summary>Clusters the samples' features under <paramref name="discriminator"/>: k-means++ the first time, then
    /// from the previous clusters' means, matched to the previous labels.</summary>
    /// <exception cref="MnemoException">Fewer samples than clusters.</exception>
    public ClusteringEvent Cluster(TNetwork discriminator, long iteration)
    {
        using var features = FeaturesOf(discriminator, _samples);
        KMeans fitted;
        var previous = SampleLabels;
        if (_means is null)
        {
            fitted = KMeans.Fit(features, _k, _rng);
        }
        else
        {
            using var init = InitialCenters(features, previous);
            fitted = KMeans.FitFrom(features, init, _rng);
        }
        var raw = fitted.Predict(features);
        Mapping = _means is null ? Enumerable.Range(0, _k).Select(i => (long)i).ToArray() : Match(raw, previous, _k);
        _means?.Centers.Dispose();
        _means = fitted;
        SampleLabels = raw.Select(r => Mapping[r]).ToArray();
        TakeSnapshot(discriminator);
        var sizes = new int[_k];
        foreach (var l in SampleLabels) sizes[l]++;
        int changed = previous.Length == 0 ? 0 : SampleLabels.Where((l, i) => l != previous[i]).Count();
        return new ClusteringEvent(iteration, sizes, changed, fitted.Inertia);
    }

    /// <summary>Means of the new features grouped by the previous labels; a starved cluster gets a random point.</summary>
    Tensor InitialCenters(Tensor features, long[] previous)
    {
        using var scope = NewDisposeScope();
        var labels = tensor(previous);
        var sums = zeros(_k, features.shape[1]).index_add_(0, labels, features, 1.0);
        var counts = zeros(_k).index_add_(0, labels, ones(labels.shape[0]), 1.0);
        var init = sums.div(counts.clamp_min(1).unsqueeze(1));
        foreach (var starved in counts.eq(0).nonzero().view(-1).data<long>().ToArray())
            init[starved] = features[_rng.NextInt64(features.shape[0])];
        return init.MoveToOuterDisposeScope();
    }

    /// <summary>Hungarian matching of new (raw) clusters to previous labels, maximising overlap.</summary>
    public static long[] Match(long[] newRaw, long[] previous, int k)
    {
        var cost = new double[k, k];
        for (int i = 0; i < newRaw.Length; i++) cost[newRaw[i], previous[i]] -= 1;
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) cost[a, b] += newRaw.Length;
        return Hungarian.Solve(cost).Select(c => (long)c).ToArray();
    }

    /// <summary>Cluster labels of real samples under the D snapshot of the last clustering, on the samples' device.
    /// The nearest centre is found on the host (k-means lives there): one device-to-host copy per call.</summary>
    public Tensor Labels(Tensor x)
    {
        using var features = FeaturesOf(_snapshot!, x);
        var raw = _means!.Predict(features);
        return tensor(raw.Select(r => Mapping[r]).ToArray(), device: x.device);
    }

    static Tensor FeaturesOf(TNetwork discriminator, Tensor x)
    {
        using var _ = no_grad();
        bool training = discriminator.training;
        discriminator.eval();
        var device = discriminator.parameters().First().device;
        var parts = new List<Tensor>();
        // Features on the discriminator's device, k-means on the host.
        for (long start = 0; start < x.shape[0]; start += 1000)
        {
            using var onDevice = discriminator.Features(x.narrow(0, start, Math.Min(1000, x.shape[0] - start)).to(device));
            parts.Add(onDevice.cpu());
        }
        if (training) discriminator.train();
        var result = cat(parts.ToArray());
        foreach (var p in parts) p.Dispose();
        return result;
    }

    void TakeSnapshot(TNetwork discriminator)
    {
        _snapshot?.Dispose();
        _snapshot = _createDiscriminator();
        _snapshot.load_state_dict(discriminator.state_dict());
        foreach (var p in _snapshot.parameters()) p.requires_grad = false;
        _snapshot.eval();
    }

    public TNetwork Snapshot => _snapshot ?? throw new InvalidOperationException("not clustered yet");

    /// <summary>Restores the state saved in a checkpoint.</summary>
    public void Restore(Tensor centers, long[] mapping, long[] sampleLabels, Action<TNetwork> loadSnapshot)
    {
        _means?.Centers.Dispose();
        _means = KMeans.FromCenters(centers);
        Mapping = mapping;
        SampleLabels = sampleLabels;
        _snapshot?.Dispose();
        _snapshot = _createDiscriminator();
        loadSnapshot(_snapshot);
        foreach (var p in _snapshot.parameters()) p.requires_grad = false;
        _snapshot.eval();
    }

    /// <summary>Stores the random source (k-means++ seeding, reseeding of starved clusters) in a checkpoint, so that a
    /// resumed run clusters exactly as an uninterrupted one.</summary>
    public void SaveRandomState(Training.Checkpoint checkpoint)
    {
        using var state = tensor(_rng.State);
        checkpoint.AddTensor(RandomStateSection, state);
    }

    /// <summary>Restores the random source saved by <see cref="SaveRandomState"/>. Throws
    /// <see cref="IncompatibleCheckpointException"/> for a checkpoint without it (written before it was stored).</summary>
    public void RestoreRandomState(Training.Checkpoint checkpoint)
    {
        if (!checkpoint.Has($"tensor:{RandomStateSection}"))
            throw new IncompatibleCheckpointException("this checkpoint does not hold the clusterer's random state (written by an older Mnemo); start the run again");
        using var state = checkpoint.LoadTensor(RandomStateSection);
        _rng.Restore(state.data<long>().ToArray());
    }

    const string RandomStateSection = "clusterer_rng";

    public void Dispose()
    {
        _snapshot?.Dispose();
        _means?.Centers.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The Self-Conditioned GAN's clusterer (<see cref="FeatureClusterer{TNetwork}"/> on its discriminator).</summary>
public sealed class Clusterer(Tensor samples, int k, Func<ClusterConditionalDiscriminator> createDiscriminator, int seed)
    : FeatureClusterer<ClusterConditionalDiscriminator>(samples, k, createDiscriminator, seed);
