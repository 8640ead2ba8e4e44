using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.SelfConditioned;
using Mnemo.Training;

namespace Mnemo.Tests.SelfConditioned;

[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class SelfCondSampleExportTests
{
    static SelfCondOptions Ring() => SelfCondOptions.ForProfile("quick", "ring", SelfCondMethod.Selfcond) with
    {
        Iterations = 20, K = 5, ReclusterEvery = 10, ClusterSamples = 500, EvalSamples = 200, EvalEvery = 100_000,
        TrainPoints = 2000, CheckpointEvery = 10, Threads = 2, Seed = 1,
    };

    [Fact]
    public void RingRunExportsPointsWithClustersDrawnFromNonEmptyClustersOrAsAsked()
    {
        using var dir = new TempDir();
        SelfCondExperiment.Start(Ring(), dir.File("ring"), dir.Path, NullProgress.Instance);
        var checkpoint = Checkpoint.Load(Directory.GetFiles(Path.Combine(dir.File("ring"), "checkpoints")).Max()!);
        var sizes = checkpoint.Meta["sample_labels"]!.AsArray().GroupBy(l => (long)l!).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(new WrittenSamples(300, true), SelfCondSampleExport.Export(dir.File("ring"), null, 300, dir.File("drawn.npz"), 4, NullProgress.Instance));
        var drawn = Npz.Read(dir.File("drawn.npz"));
        Assert.Equal(new long[] { 300, 2 }, drawn["points"].Shape);
        Assert.Equal("<f4", drawn["points"].Descr);
        Assert.All(drawn["points"].ToFloat32(), v => Assert.True(float.IsFinite(v)));
        var clusters = drawn["clusters"].ToInt64();
        Assert.Equal(300, clusters.Length);
        Assert.All(clusters, c => Assert.True(sizes.ContainsKey(c), $"cluster {c} is empty at the last clustering"));
        Assert.True(clusters.Distinct().Count() > 1);

        SelfCondSampleExport.Export(dir.File("ring"), [3, 1], 7, dir.File("asked.npz"), 4, NullProgress.Instance);
        var asked = Npz.Read(dir.File("asked.npz"));
        Assert.Equal(Enumerable.Repeat(3L, 7).Concat(Enumerable.Repeat(1L, 7)).ToArray(), asked["clusters"].ToInt64());
        Assert.Equal(new long[] { 14, 2 }, asked["points"].Shape);

        SelfCondSampleExport.Export(dir.File("ring"), [3, 1], 7, dir.File("again.npz"), 4, NullProgress.Instance);
        Assert.Equal(asked["points"].Data, Npz.Read(dir.File("again.npz"))["points"].Data); // the seed fixes z
        Assert.Contains("outside 0..4", Assert.Throws<MnemoException>(() =>
            SelfCondSampleExport.Export(dir.File("ring"), [5], 2, dir.File("x.npz"), 0, NullProgress.Instance)).Message);
        Assert.Contains(".npz", Assert.Throws<MnemoException>(() =>
            SelfCondSampleExport.Export(dir.File("ring"), null, 2, dir.File("pngs"), 0, NullProgress.Instance)).Message);
    }

    [Fact]
    public void StackedImageRunExportsImagesPerClusterAsNpzAndPngFolders()
    {
        using var dir = new TempDir();
        using var digits = SyntheticData.SquaresSplit(3, perClass: 20);
        using var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares", digits, trainSteps: 10);
        var (trainSet, testSet) = StackedMnist.Triplets(new DatasetSplit(digits.Train.Subset(Enumerable.Range(0, 60).Select(i => (long)i).ToArray()),
            digits.Test.Subset(Enumerable.Range(0, 15).Select(i => (long)i).ToArray())), seed: 2, trainCount: 300, testCount: 50);
        using var train = new SampleSet(trainSet);
        using var test = new SampleSet(testSet);
        var options = SelfCondOptions.ForProfile("quick", "stacked-mnist", SelfCondMethod.Selfcond) with
        {
            Iterations = 4, K = 3, BatchSize = 8, ReclusterEvery = 2, ClusterSamples = 60, EvalSamples = 20, EvalEvery = 100_000,
            CheckpointEvery = 4, LogEvery = 2, Threads = 2, Seed = 3,
        };
        var run = RunFolder.Create(dir.File("run"), options.ToJson());
        new SelfCondTrainer(options, run, train, test, new StackedMnistEvaluator(classifier)).Run(resume: false);

        SelfCondSampleExport.Export(run.Root, [2, 0], 5, dir.File("s.npz"), 1, NullProgress.Instance);
        var npz = Npz.Read(dir.File("s.npz"));
        Assert.Equal(new long[] { 10, 32, 32, 3 }, npz["images"].Shape);
        Assert.Equal("|u1", npz["images"].Descr);
        Assert.Equal(new long[] { 2, 2, 2, 2, 2, 0, 0, 0, 0, 0 }, npz["clusters"].ToInt64());

        SelfCondSampleExport.Export(run.Root, null, 12, dir.File("pngs"), 1, NullProgress.Instance);
        var folders = Directory.GetDirectories(dir.File("pngs")).Select(Path.GetFileName).ToArray();
        Assert.All(folders, f => Assert.InRange(int.Parse(f!), 0, 2));
        Assert.Equal(12, Directory.GetFiles(dir.File("pngs"), "*.png", SearchOption.AllDirectories).Length);
    }
}
