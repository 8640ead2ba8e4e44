using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.SelfConditioned;
using Mnemo.Tests.Continual;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Tests.Robustness;

/// <summary>A loss that becomes NaN or infinite stops the run with a message naming the step, and the checkpoints
/// written before it stay on disk, intact and loadable.</summary>
[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class DivergenceTests
{
    [Fact]
    public void NanInTheDataStopsSelfCondAtTheStepAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        var options = SelfCondOptions.ForProfile("quick", "ring", SelfCondMethod.Selfcond) with
        {
            Iterations = 200, K = 5, ReclusterEvery = 1000, ClusterSamples = 500, EvalSamples = 200, EvalEvery = 100_000,
            CheckpointEvery = 20, Threads = 1, Seed = 3,
        };
        var ring = Mixture2D.Ring();
        var (points, modes) = ring.Sample(2000, new Random(1));
        var (testPoints, testModes) = ring.Sample(500, new Random(2));
        using var train = new SampleSet(points, modes, 8);
        using var test = new SampleSet(testPoints, testModes, 8);
        var run = RunFolder.Create(dir.File("run"), options.ToJson());
        var evaluator = new MixtureEvaluator(ring, testPoints);
        new SelfCondTrainer(options, run, train, test, evaluator) { StopAfterIterations = 40 }.Run(resume: false);
        var before = Directory.GetFiles(run.CheckpointsDir).ToDictionary(f => f, File.ReadAllBytes);

        // The same run resumed on data with NaN coordinates (a corrupt export, say).
        using var poisoned = new SampleSet(full(2000, 2, double.NaN, dtype: ScalarType.Float32), modes, 8);
        var e = Assert.Throws<MnemoException>(() => new SelfCondTrainer(options, run, poisoned, test, evaluator).Run(resume: true));
        Assert.Contains("NaN", e.Message);
        Assert.Contains("iteration 41", e.Message);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(run.CheckpointsDir).Order());
        foreach (var (path, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(path));
            Checkpoint.Load(path);
        }
    }

    [Fact]
    public void ExplodingLearningRateStopsMerganWithTheTaskAndIteration()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(2, perClass: 40);
        var options = ToyRuns.Options("sft", 40) with { LearningRate = 1e30 };
        var e = Assert.Throws<MnemoException>(() => ToyRuns.Train(options, data, dir.File("run"), dir.Path));
        Assert.Matches(@"training diverged: a loss became (NaN|infinite) at task 1, iteration \d+", e.Message);
        foreach (var path in Directory.GetFiles(Path.Combine(dir.File("run"), "checkpoints")))
            Checkpoint.Load(path);
    }
}
