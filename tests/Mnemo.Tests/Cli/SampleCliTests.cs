using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.MemoryGan;
using Mnemo.SelfConditioned;
using Mnemo.Training;

namespace Mnemo.Tests.Cli;

[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class SampleCliTests
{
    static void Succeeds((int Code, string Stdout, string Stderr) r) => Assert.True(r.Code == 0, $"exit {r.Code}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");

    [Fact]
    public void SampleTellsSelfCondAndMemoryGanRunsApartAndSavesTheirIds()
    {
        using var dir = new TempDir();
        var ring = SelfCondOptions.ForProfile("quick", "ring", SelfCondMethod.Selfcond) with
        {
            Iterations = 10, K = 4, ReclusterEvery = 100, ClusterSamples = 200, EvalSamples = 100, TrainPoints = 1000, CheckpointEvery = 10, Threads = 1,
        };
        SelfCondExperiment.Start(ring, dir.File("ring"), dir.Path, NullProgress.Instance);
        var r = CliProcess.Run(dir.Path, "sample", "--run", dir.File("ring"), "--classes", "0-3", "--n", "2", "--out", dir.File("ring.npz"));
        Succeeds(r);
        Assert.Contains("wrote 8 points", r.Stdout);
        Assert.Equal(new long[] { 0, 0, 1, 1, 2, 2, 3, 3 }, Npz.Read(dir.File("ring.npz"))["clusters"].ToInt64());

        using var data = SyntheticData.SquaresSplit(2, perClass: 20);
        using var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares", data, trainSteps: 5);
        var memory = new MemoryGanOptions
        {
            Dataset = "squares", MemorySize = 32, KeyDim = 8, TopK = 4, Iterations = 4, BatchSize = 8, EvalSamples = 20, LogEvery = 2, CheckpointEvery = 4, Threads = 1,
        };
        new MemoryGanTrainer(memory, RunFolder.Create(dir.File("mem"), memory.ToJson()), data, classifier).Run(resume: false);
        r = CliProcess.Run(dir.Path, "sample", "--run", dir.File("mem"), "--n", "5", "--out", dir.File("mem.npz"));
        Succeeds(r);
        Assert.Contains("wrote 5 images", r.Stdout);
        var npz = Npz.Read(dir.File("mem.npz"));
        Assert.Equal(new long[] { 5, 32, 32, 1 }, npz["images"].Shape);
        Assert.All(npz["slots"].ToInt64(), s => Assert.InRange(s, 0, 31));
    }
}
