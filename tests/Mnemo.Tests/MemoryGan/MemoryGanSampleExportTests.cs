using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.MemoryGan;
using Mnemo.Networks;
using Mnemo.Training;

namespace Mnemo.Tests.MemoryGan;

[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class MemoryGanSampleExportTests
{
    static MemoryGanOptions Tiny() => new()
    {
        Dataset = "squares", MemorySize = 64, KeyDim = 16, TopK = 8, Iterations = 8, BatchSize = 16,
        EvalEvery = 1000, EvalSamples = 50, LogEvery = 4, CheckpointEvery = 8, Threads = 2,
    };

    [Fact]
    public void ExportsImagesWithTheSlotsTrainingDrawsOrThoseAsked()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(3, perClass: 30);
        using var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares", data, trainSteps: 10);
        var run = RunFolder.Create(dir.File("run"), Tiny().ToJson());
        new MemoryGanTrainer(Tiny(), run, data, classifier).Run(resume: false);
        var checkpoint = Checkpoint.Load(Directory.GetFiles(run.CheckpointsDir).Max()!);
        using var weights = checkpoint.LoadTensor("histogram").mul(checkpoint.LoadTensor("values"));
        var weight = weights.data<float>().ToArray();

        Assert.Equal(40, MemoryGanSampleExport.Export(run.Root, null, 40, dir.File("drawn.npz"), 2, NullProgress.Instance).Count);
        var drawn = Npz.Read(dir.File("drawn.npz"));
        Assert.Equal(new long[] { 40, 32, 32, 1 }, drawn["images"].Shape);
        Assert.All(drawn["slots"].ToInt64(), s => Assert.True(weight[s] > 0, $"slot {s} has no real weight"));

        MemoryGanSampleExport.Export(run.Root, [63, 5], 3, dir.File("asked"), 2, NullProgress.Instance);
        Assert.Equal(new[] { "5", "63" }, Directory.GetDirectories(dir.File("asked")).Select(Path.GetFileName).Order().ToArray());
        Assert.Equal(3, Directory.GetFiles(Path.Combine(dir.File("asked"), "63"), "*.png").Length);
        Assert.Contains("outside 0..63", Assert.Throws<MnemoException>(() =>
            MemoryGanSampleExport.Export(run.Root, [64], 1, dir.File("x.npz"), 0, NullProgress.Instance)).Message);
    }

    [Fact]
    public void EachExportedImageIsTheGeneratorsImageForTheSlotBesideIt()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(3, perClass: 30);
        using var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares", data, trainSteps: 10);
        var options = Tiny();
        var run = RunFolder.Create(dir.File("run"), options.ToJson());
        new MemoryGanTrainer(options, run, data, classifier).Run(resume: false);
        MemoryGanSampleExport.Export(run.Root, [9, 2], 2, dir.File("s.npz"), 7, NullProgress.Instance);
        var npz = Npz.Read(dir.File("s.npz"));
        Assert.Equal(new long[] { 9, 9, 2, 2 }, npz["slots"].ToInt64());

        // Rebuild each image from the checkpoint: the key of the slot saved beside it and z drawn from the same seed.
        var checkpoint = Checkpoint.Load(Directory.GetFiles(run.CheckpointsDir).Max()!);
        using var generator = new MemoryGenerator(options.ZDim, options.KeyDim, 1);
        checkpoint.LoadModule("generator", generator);
        generator.eval();
        using var keys = checkpoint.LoadTensor("keys");
        using var noise = new TorchSharp.torch.Generator(7);
        using var _ = TorchSharp.torch.no_grad();
        using var z = TorchSharp.torch.rand(4, options.ZDim, generator: noise).mul(2).sub(1);
        using var slotKeys = keys.index_select(0, TorchSharp.torch.tensor(npz["slots"].ToInt64()));
        using var images = generator.forward(z, slotKeys);
        using var bytes = ImageDataset.ToBytes(images).permute(0, 2, 3, 1).contiguous();
        Assert.Equal(bytes.data<byte>().ToArray(), npz["images"].Data);
    }

    [Fact]
    public void NoMemoryRunExportsImagesWithoutSlots()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(2, perClass: 20);
        using var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares", data, trainSteps: 10);
        var options = Tiny() with { Method = MemoryGanMethod.NoMemory, Iterations = 4, CheckpointEvery = 4 };
        var run = RunFolder.Create(dir.File("run"), options.ToJson());
        new MemoryGanTrainer(options, run, data, classifier).Run(resume: false);

        MemoryGanSampleExport.Export(run.Root, null, 6, dir.File("s.npz"), 0, NullProgress.Instance);
        var npz = Npz.Read(dir.File("s.npz"));
        Assert.Equal(new long[] { 6, 32, 32, 1 }, npz["images"].Shape);
        Assert.Equal(Enumerable.Repeat(-1L, 6).ToArray(), npz["slots"].ToInt64());
        Assert.Throws<MnemoException>(() => MemoryGanSampleExport.Export(run.Root, [0], 1, dir.File("x.npz"), 0, NullProgress.Instance));
    }
}
