using Mnemo.Evaluation;
using Mnemo.MemoryGan;
using Mnemo.Tests.Training.TensorBoard;
using Mnemo.Training;

namespace Mnemo.Tests.MemoryGan;

[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class MemoryGanTrainerTests
{
    static MemoryGanOptions Tiny() => new()
    {
        Dataset = "squares", MemorySize = 64, KeyDim = 16, TopK = 8, Iterations = 24, BatchSize = 16,
        EvalEvery = 1000, EvalSamples = 100, LogEvery = 4, CheckpointEvery = 8, Threads = 2,
    };

    [Fact]
    public void ShortRunKeepsRealAndFakeSlotsWritesReportAndResumesExactly()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(3, perClass: 40);
        using var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares", data, trainSteps: 30);
        var options = Tiny();

        var whole = RunFolder.Create(dir.File("whole"), options.ToJson());
        var metrics = new MemoryGanTrainer(options, whole, data, classifier).Run(resume: false);
        double realFraction = metrics!.MemoryRealFraction;
        Assert.InRange(realFraction, 0.01, 0.99);
        // The evaluation's draws carry their slots: purity, slots drawn and the draw distribution's concentration.
        Assert.InRange(metrics.SlotPurity!.Value, 0.0, 1.0);
        Assert.InRange(metrics.SlotsDrawn!.Value, 1, options.EvalSamples);
        Assert.InRange(metrics.EffectiveSlots!.Value, 1.0, options.MemorySize);
        Assert.InRange(metrics.TopPercentSlotShare!.Value, 0.0, 1.0);
        Assert.True(File.Exists(Path.Combine(whole.Root, "report.html")));
        Assert.True(File.Exists(Path.Combine(whole.ImagesDir, "memory-slots.png")));
        var logged = whole.Read<MemoryGanTrainingRecord>();
        Assert.NotEmpty(logged);
        Assert.Contains(logged, r => r.ReplacedShare > 0);

        var killed = RunFolder.Create(dir.File("killed"), options.ToJson());
        new MemoryGanTrainer(options, killed, data, classifier) { StopAfterIterations = 10 }.Run(resume: false);
        new MemoryGanTrainer(options, killed, data, classifier).Run(resume: true);
        var a = Checkpoint.Load(Directory.GetFiles(whole.CheckpointsDir).Max()!);
        var b = Checkpoint.Load(Directory.GetFiles(killed.CheckpointsDir).Max()!);
        foreach (var section in new[] { "module:generator", "module:query", "tensor:keys", "tensor:histogram" })
            Assert.Equal(a.Sections[section], b.Sections[section]);

        var events = EventLog.Read(killed.Root);
        events.AssertNoStepTwice();
        Assert.Equal(new long[] { 4, 8, 12, 16, 20, 24 }, events.Steps("train/memory_real_fraction").Order().ToArray());
        Assert.Equal(6, events.Steps("train/slots_in_use").Length);
        Assert.Equal(new long[] { 24 }, events.Steps("evaluation/fid_classifier"));
        Assert.Equal(new long[] { 24 }, events.Steps("evaluation/label_histogram/0"));
        Assert.Equal(new[] { ("memory_slots", 24L), ("samples", 24L) }, events.Images.OrderBy(i => i.Tag).ToArray());

        // `report run` and `report compare` of MemoryGAN folders (these were created without a kind: their
        // checkpoints name the system).
        File.Delete(Path.Combine(whole.Root, "report.html"));
        Assert.Equal(Path.Combine(whole.Root, "report.html"), RunReports.Report(whole.Root));
        var comparison = RunReports.Compare([whole.Root, killed.Root], dir.File("side"));
        Assert.True(File.Exists(comparison));
        var csv = File.ReadAllLines(Path.Combine(dir.File("side"), "comparison.csv"));
        Assert.StartsWith("method,fid_classifier_features,is_classifier,is_std,classes_generated", csv[0]);
        Assert.Equal(new[] { "memory", "memory" }, csv.Skip(1).Select(l => l.Split(',')[0]).ToArray());
        Assert.DoesNotContain("do not share their settings", File.ReadAllText(comparison));
    }

    [Fact]
    public void NoMemoryAblationTrains()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(2, perClass: 30);
        using var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares", data, trainSteps: 20);
        var options = Tiny() with { Method = MemoryGanMethod.NoMemory, Iterations = 8 };
        var metrics = new MemoryGanTrainer(options, RunFolder.Create(dir.File("run"), options.ToJson()), data, classifier).Run(resume: false);
        Assert.True(double.IsFinite(metrics!.FidClassifier));
        Assert.Null(metrics.SlotPurity); // no slots without memory
        Assert.Null(metrics.EffectiveSlots);
    }
}
