using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.SelfConditioned;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>The Self-Conditioned GAN on Stacked-MNIST (dcgan_shallow, batch 64, k = 100, quick profile's 5,000
/// clustered images and 10,000 evaluation samples): the training iteration, and separately what a run does outside
/// it — the index triplets, the clustered images' features with k-means++ (10 initialisations), one re-clustering,
/// one evaluation (generation plus the MNIST classifier on every channel). Each phase with its wall and CPU seconds
/// (with --threads 1 the CPU seconds hold on a loaded machine; the wall seconds do not) and the resident memory after
/// it. Random pixels: timings depend on shapes only (k-means' Lloyd iterations on real features may differ).</summary>
public static class StackedMnistBench
{
    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine("Self-Conditioned GAN, Stacked-MNIST, dcgan_shallow, batch 64, k = 100 (quick profile)");
        Console.WriteLine($"{"phase",-62} {"wall s",7} {"CPU s",7} {"RSS MiB",8} {"peak",6}");
        var options = SelfCondOptions.ForProfile("quick", "stacked-mnist", SelfCondMethod.Selfcond);
        SampleSet? train = null, test = null;
        Phase($"MNIST and {StackedMnist.TrainCount:N0} + {StackedMnist.TestCount:N0} index triplets", () =>
        {
            var (trainSet, testSet) = StackedMnist.Triplets(new DatasetSplit(RandomDigits(60_000), RandomDigits(10_000)), seed: 1);
            train = new SampleSet(trainSet);
            test = new SampleSet(testSet);
        });
        using var models = new SelfCondModels(options, 1000, 3);
        using var clusterIdx = arange(options.ClusterSamples, dtype: ScalarType.Int64);
        using var clusterImages = train!.Batch(clusterIdx);
        using var clusterer = new Clusterer(clusterImages, options.K, models.NewDiscriminator, 2);
        Phase($"first clustering: features of {options.ClusterSamples:N0} images, k-means++ ×10", () => clusterer.Cluster(models.Discriminator, 0));
        Phase("re-clustering: features, Lloyd from the previous means, Hungarian", () => clusterer.Cluster(models.Discriminator, 1));

        var step = new SelfCondStep(models, train, (x, _) => clusterer.Labels(x), options.BatchSize, options.ZDim);
        for (int i = 0; i < bench.Warmup; i++) step.Run();
        var times = Enumerable.Range(0, bench.Repeats).Select(_ => Timing.Once(() => step.Run())).ToList();
        double wall = times.Select(t => t.Wall).Order().ElementAt(times.Count / 2), cpu = times.Select(t => t.Cpu).Order().ElementAt(times.Count / 2);
        Console.WriteLine($"{"training iteration (median; G step, D step, real batch labels)",-62} {wall,7:0.000} {cpu,7:0.000} {Timing.CurrentRssMiB(),8:0} {Timing.PeakRssMiB(),6:0}");

        using var classifier = new DigitClassifier(10, 1, 32);
        Tensor? samples = null;
        Phase($"evaluation: {options.EvalSamples:N0} samples generated (G in slices of 100)", () =>
        {
            models.Generator.eval();
            samples = ChunkedSampling.Draw(options.EvalSamples, 500, n =>
            {
                using var idx = randint(0, test!.Count, n, dtype: ScalarType.Int64);
                using var real = test.Batch(idx);
                using var y = clusterer.Labels(real);
                using var z = randn(n, options.ZDim);
                return ChunkedSampling.Sliced(z, y, 100, models.Generator.forward);
            });
        });
        Phase("evaluation: MNIST classifier on their 3 channels", () =>
        {
            for (int ch = 0; ch < 3; ch++) ClassifierTraining.Predict(classifier, samples!.narrow(1, ch, 1));
        });
        samples!.Dispose();
        train.Dispose();
        test!.Dispose();
        Console.WriteLine($"CPU s: one torch thread (--threads {bench.Threads}); a run outside its steps costs the first clustering, one " +
                          "re-clustering per --recluster-every and one evaluation per evaluation");
    }

    static void Phase(string name, Action action)
    {
        var (wall, cpu) = Timing.Once(action);
        Console.WriteLine($"{name,-62} {wall,7:0.00} {cpu,7:0.00} {Timing.CurrentRssMiB(),8:0} {Timing.PeakRssMiB(),6:0}");
    }

    static ImageDataset RandomDigits(int count)
    {
        using var values = randint(0, 256, new long[] { count, 1, 32, 32 });
        return new ImageDataset("digits", values.to_type(ScalarType.Byte), Enumerable.Range(0, count).Select(i => (long)(i % 10)).ToArray(), DatasetCatalog.DigitNames);
    }
}
