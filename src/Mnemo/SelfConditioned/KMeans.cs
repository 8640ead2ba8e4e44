using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>
/// k-means with k-means++ seeding and Lloyd iterations on the rows of a float tensor, best of several
/// initialisations by inertia (as sklearn's KMeans(n_init=10) that the Self-Conditioned GAN code uses), or
/// started from given centres (the re-clustering step). Runs on torch tensors, batched, without gradients.
/// </summary>
public sealed class KMeans
{
    public Tensor Centers { get; private set; }
    public double Inertia { get; private set; }
    public int Iterations { get; private set; }

    KMeans(Tensor centers, double inertia, int iterations)
    {
        Centers = centers;
        Inertia = inertia;
        Iterations = iterations;
    }

    public int K => (int)Centers.shape[0];

    /// <summary>A fitted model from stored centres (checkpoint restore).</summary>
    public static KMeans FromCenters(Tensor centers) => new(centers, double.NaN, 0);

    /// <summary>Clusters with k-means++ seeding, keeping the best of <paramref name="initialisations"/> runs.</summary>
    public static KMeans Fit(Tensor x, int k, Random rng, int initialisations = 10, int maxIterations = 300, double tolerance = 1e-4)
    {
        if (x.shape[0] < k) throw new MnemoException($"k-means needs at least k = {k} points, got {x.shape[0]}");
        using var _ = no_grad();
        using var norms = RowNorms(x);
        KMeans? best = null;
        for (int run = 0; run < initialisations; run++)
        {
            var candidate = Lloyd(x, norms, PlusPlus(x, norms, k, rng), maxIterations, tolerance, rng);
            if (best is null || candidate.Inertia < best.Inertia) { best?.Centers.Dispose(); best = candidate; }
            else candidate.Centers.Dispose();
        }
        return best!;
    }

    /// <summary>Lloyd iterations from the given initial centres (a starved cluster is moved to a random point).</summary>
    public static KMeans FitFrom(Tensor x, Tensor initialCenters, Random rng, int maxIterations = 300, double tolerance = 1e-4)
    {
        using var _ = no_grad();
        using var norms = RowNorms(x);
        return Lloyd(x, norms, initialCenters.clone(), maxIterations, tolerance, rng);
    }

    /// <summary>Index of the nearest centre of every row of <paramref name="x"/>.</summary>
    public long[] Predict(Tensor x)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return SquaredDistances(x, RowNorms(x), Centers).argmin(1).data<long>().ToArray();
    }

    /// <summary>‖x_i‖² as an N×1 column, computed once per fit: recomputing it for every distance allocated an N×D
    /// square each time (k-means++ on 5,000×2048 features: 100 of them alive at once, 4 GB).</summary>
    static Tensor RowNorms(Tensor x) => x.square().sum(1, keepdim: true);

    static Tensor SquaredDistances(Tensor x, Tensor rowNorms, Tensor centers) =>
        rowNorms.add(centers.square().sum(1).unsqueeze(0)).sub(x.matmul(centers.t()).mul(2)).clamp_min(0);

    /// <summary>k-means++: each further centre drawn with probability proportional to the squared distance to the nearest chosen one.</summary>
    static Tensor PlusPlus(Tensor x, Tensor norms, int k, Random rng)
    {
        long n = x.shape[0];
        var chosen = new List<long> { rng.NextInt64(n) };
        Tensor Distances(long pick)
        {
            using var centre = x[pick].unsqueeze(0);
            return SquaredDistances(x, norms, centre).squeeze(1);
        }
        var closest = Distances(chosen[0]);
        for (int c = 1; c < k; c++)
        {
            // One scope per centre: only the running minimum outlives it.
            using var scope = NewDisposeScope();
            var weights = closest.to_type(ScalarType.Float64).data<double>().ToArray();
            double total = weights.Sum(), target = rng.NextDouble() * total;
            long pick = n - 1;
            if (total > 0)
            {
                double acc = 0;
                for (long i = 0; i < n; i++) { acc += weights[i]; if (acc >= target) { pick = i; break; } }
            }
            else pick = rng.NextInt64(n);
            chosen.Add(pick);
            var next = minimum(closest, Distances(pick)).MoveToOuterDisposeScope();
            closest.Dispose();
            closest = next;
        }
        closest.Dispose();
        using var idx = tensor(chosen.ToArray());
        return x.index_select(0, idx);
    }

    static KMeans Lloyd(Tensor x, Tensor norms, Tensor centers, int maxIterations, double tolerance, Random rng)
    {
        int k = (int)centers.shape[0];
        long n = x.shape[0];
        // sklearn's tolerance is relative to the mean per-feature variance of the data.
        double scale;
        using (NewDisposeScope()) scale = x.var(0).mean().item<float>();
        int iteration = 0;
        for (; iteration < maxIterations; iteration++)
        {
            using var scope = NewDisposeScope();
            var labels = SquaredDistances(x, norms, centers).argmin(1);
            var sums = zeros(k, x.shape[1]).index_add_(0, labels, x, 1.0);
            var counts = zeros(k).index_add_(0, labels, ones(n), 1.0);
            var empty = counts.eq(0).nonzero().view(-1).data<long>().ToArray();
            var updated = sums.div(counts.clamp_min(1).unsqueeze(1));
            foreach (var e in empty) updated[e] = x[rng.NextInt64(n)];
            double shift = updated.sub(centers).square().sum().item<float>();
            centers.Dispose();
            centers = updated.MoveToOuterDisposeScope();
            if (shift <= tolerance * scale && empty.Length == 0) { iteration++; break; }
        }
        double inertia;
        using (var scope = NewDisposeScope())
            inertia = SquaredDistances(x, norms, centers).min(1).values.sum().item<float>();
        return new KMeans(centers, inertia, iteration);
    }
}
