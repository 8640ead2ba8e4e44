using System.Diagnostics;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.SelfConditioned;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>The Self-Conditioned GAN on Stacked-MNIST (dcgan_shallow, batch 64, k = 100, quick profile's 5,000
/// clustered images and 10,000 evaluation samples): the training iteration, and separately what a run does outside
/// it — composing the triplets, the clustered images' features, k-means++ (10 initialisations), one re-clustering
/// and one evaluation (generation plus the MNIST classifier on every channel). Random pixels: timings depend on
/// shapes only (k-means' Lloyd iterations on real features may differ).</summary>
public static class StackedMnistBench
{
    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine("Self-Conditioned GAN, Stacked-MNIST, dcgan_shallow, batch 64, k = 100 (quick profile)");
        var options = SelfCondOptions.ForProfile("quick", "stacked-mnist", SelfCondMethod.Selfcond);
        var sw = Stopwatch.StartNew();
        var (trainSet, testSet) = StackedMnist.Triplets(new DatasetSplit(RandomDigits(60_000), RandomDigits(10_000)), seed: 1);
        using var train = new SampleSet(trainSet);
        using var test = new SampleSet(testSet);
        Console.WriteLine($"triplets: {StackedMnist.TrainCount:N0} train + {StackedMnist.TestCount:N0} test in {sw.Elapsed.TotalSeconds:0.00} s");

        using var models = new SelfCondModels(options, 1000, 3);
        using var clusterIdx = arange(options.ClusterSamples, dtype: ScalarType.Int64);
        using var clusterImages = train.Batch(clusterIdx);
        using var clusterer = new Clusterer(clusterImages, options.K, models.NewDiscriminator, 2);
        sw.Restart();
        clusterer.Cluster(models.Discriminator, 0);
        Console.WriteLine($"first clustering (features of {options.ClusterSamples:N0} images + k-means++, 10 initialisations): {sw.Elapsed.TotalSeconds:0.00} s");
        sw.Restart();
        clusterer.Cluster(models.Discriminator, 1);
        Console.WriteLine($"re-clustering (features + Lloyd from the previous means + Hungarian): {sw.Elapsed.TotalSeconds:0.00} s");

        var step = new SelfCondStep(models, train, (x, _) => clusterer.Labels(x), options.BatchSize, options.ZDim);
        double seconds = Timing.Median(() => step.Run(), bench.Warmup, bench.Repeats);
        Console.WriteLine($"training iteration: {seconds:0.000} s ({options.BatchSize / seconds:0} samples/s)");

        using var classifier = new DigitClassifier(10, 1, 32);
        sw.Restart();
        models.Generator.eval();
        using var samples = ChunkedSampling.Draw(options.EvalSamples, 500, n =>
        {
            using var idx = randint(0, test.Count, n, dtype: ScalarType.Int64);
            using var real = test.Batch(idx);
            using var y = clusterer.Labels(real);
            using var z = randn(n, options.ZDim);
            return models.Generator.forward(z, y);
        });
        double generation = sw.Elapsed.TotalSeconds;
        for (int ch = 0; ch < 3; ch++) ClassifierTraining.Predict(classifier, samples.narrow(1, ch, 1));
        Console.WriteLine($"evaluation: {options.EvalSamples:N0} samples in {generation:0.00} s, classifier on their 3 channels {sw.Elapsed.TotalSeconds - generation:0.00} s; " +
                          $"peak RSS {Timing.PeakRssMiB():0} MiB");
    }

    static ImageDataset RandomDigits(int count)
    {
        using var values = randint(0, 256, new long[] { count, 1, 32, 32 });
        return new ImageDataset("digits", values.to_type(ScalarType.Byte), Enumerable.Range(0, count).Select(i => (long)(i % 10)).ToArray(), DatasetCatalog.DigitNames);
    }
}
