using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.Tests.Training.TensorBoard;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Tests.Continual;

[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class ContinualTrainerTests
{
    [Fact]
    public void KilledAndResumedRunEndsWithTheSameWeights()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(3, perClass: 40);
        // With a generator average, so that its checkpointed state is covered as well.
        var options = ToyRuns.Options("ra", iterations: 10, tasks: "0,1") with { GeneratorEmaDecay = 0.9 };

        ToyRuns.Train(options, data, dir.File("whole"), dir.Path);
        var classifier = ToyRuns.Classifier(data, dir.Path);

        // First process "dies" after 14 iterations (task 2, after its checkpoint at iteration 4); a second resumes.
        var run = RunFolder.Create(dir.File("killed"), options.ToJson());
        new ContinualTrainer(options, run, data, classifier) { StopAfterIterations = 14 }.Run(resume: false);
        new ContinualTrainer(options, run, data, classifier).Run(resume: true);

        var whole = Checkpoint.Load(Directory.GetFiles(Path.Combine(dir.File("whole"), "checkpoints")).Max()!);
        var resumed = Checkpoint.Load(Directory.GetFiles(Path.Combine(dir.File("killed"), "checkpoints")).Max()!);
        Assert.Equal(whole.Step, resumed.Step);
        foreach (var section in new[] { "module:generator", "module:critic", "module:replay_generator", "module:averaged_generator" })
            Assert.Equal(whole.Sections[section], resumed.Sections[section]);
        var a = ContinualResults.FromJson(Path.Combine(dir.File("whole"), "evaluation.json"));
        var b = ContinualResults.FromJson(Path.Combine(dir.File("killed"), "evaluation.json"));
        Assert.Equal(a.AverageAccuracy, b.AverageAccuracy);
        Assert.True(File.Exists(Path.Combine(dir.File("killed"), "report.html")));
        Assert.True(File.Exists(Path.Combine(dir.File("killed"), "images", "tasks.gif")));

        var events = EventLog.Read(dir.File("killed"));
        events.AssertNoStepTwice();
        Assert.Equal(2, events.Files.Count);
        Assert.Equal(new long[] { 10, 20 }, events.Steps("evaluation/average_accuracy").Order().ToArray());
        Assert.Equal(new long[] { 10, 20 }, events.Steps($"evaluation/class_accuracy/{data.Train.ClassNames[0]}").Order().ToArray());
        Assert.Equal(new long[] { 20 }, events.Steps($"evaluation/class_accuracy/{data.Train.ClassNames[1]}"));
        Assert.Equal(new long[] { 10, 20 }, events.Steps("evaluation/fid").Order().ToArray());
        Assert.Equal(new long[] { 5, 10, 15, 20 }, events.Steps("train/critic_loss").Order().ToArray());
        Assert.Empty(events.Steps("train/task"));
        Assert.Equal(new long[] { 10, 20 }, events.Images.Where(i => i.Tag == "samples").Select(i => i.Step).Order().ToArray());
    }

    [Fact]
    public void A64PixelRunTrainsTheOfficialResidualNetsThroughEveryTask()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.Squares64Split(2, perClass: 16);
        var options = ToyRuns.Options("ra", iterations: 3) with { ImageSize = 64, Dim = 4, BatchSize = 8, EvalSamplesPerClass = 8, GridColumns = 2 };
        using (var models = new MerganModels(options, 10, 3))
        {
            Assert.IsType<MerganResNetGenerator>(models.Generator);
            Assert.IsType<ResNetAcganCritic>(models.Critic);
        }
        var run = RunFolder.Create(dir.File("run"), options.ToJson());
        var classifier = EvaluationClassifier.LoadOrTrain(dir.Path, "squares64", data, trainSteps: 5);
        var results = new ContinualTrainer(options, run, data, classifier).Run(resume: false);
        Assert.Equal(2, results.AverageAccuracy.Count);
        Assert.True(File.Exists(Path.Combine(dir.File("run"), "images", "task-02.png")));
    }

    [Fact]
    public void JtrReplaysEveryEarlierClassInEqualGroups()
    {
        using var data = SyntheticData.Squares(4, 10, seed: 1);
        var options = ToyRuns.Options("jtr", 1) with { BatchSize = 64 };
        using var models = new MerganModels(options, 10, 1);
        models.BeginTask(3);
        var step = new MerganStep(models, data.WhereClass(new[] { 3 }), new[] { 0, 1, 2 }, 0.25);
        var (z, labels, groups) = step.ReplayInputs();
        Assert.Equal(3, groups);
        Assert.Equal(63, labels.shape[0]); // 64 / 3 = 21 per earlier class, as the official REDUCE_BATCH split
        Assert.Equal(63, z.shape[0]);
        var counts = labels.data<long>().GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<long, int> { [0] = 21, [1] = 21, [2] = 21 }, counts);
        Assert.Equal(labels.data<long>().ToArray(), labels.data<long>().OrderBy(l => l).ToArray()); // grouped by class
    }

    [Fact]
    public void TheGeneratorAverageMovesByTheDecayAndIsWhatIsReplayed()
    {
        var options = ToyRuns.Options("ra", 1) with { GeneratorEmaDecay = 0.75 };
        using var models = new MerganModels(options, 10, 1);
        var before = models.AveragedGenerator!.parameters().Select(p => p.detach().clone()).ToList();
        using (no_grad())
            foreach (var p in models.Generator.parameters()) p.add_(1.0);
        models.UpdateGeneratorAverage();
        foreach (var (average, old) in models.AveragedGenerator.parameters().Zip(before))
            Assert.True(average.allclose(old.add(0.25), rtol: 0, atol: 1e-6)); // 0.75·a + 0.25·(a + 1)
        Assert.Same(models.AveragedGenerator, models.SamplingGenerator);

        models.BeginTask(1); // the frozen replay copy is the average, not the raw generator
        foreach (var (replayed, average) in models.ReplayGenerator!.parameters().Zip(models.AveragedGenerator.parameters()))
            Assert.True(replayed.eq(average).all().item<bool>());
    }

    [Fact]
    public void DgrMixesNewDataAndReplayInProportionToClasses()
    {
        using var data = SyntheticData.Squares(4, 10, seed: 1);
        var options = ToyRuns.Options("dgr", 1) with { BatchSize = 40 };
        using var models = new MerganModels(options, 10, 1);
        models.BeginTask(3);
        using var taskData = data.WhereClass(new[] { 3 });
        var step = new MerganStep(models, taskData, new[] { 0, 1, 2 }, 0.25);
        Assert.IsType<SolverLabels>(models.Labels);
        var (images, labels) = models.Labels.RealBatch(step.Task, 40);
        Assert.Equal(40, images.shape[0]);
        Assert.Equal(10, labels.data<long>().Take(10).Count(l => l == 3)); // the first quarter is real class-3 data
        Assert.Equal(1, models.Generator.Classes); // DGR's generator is unconditional
    }

    [Fact]
    public void ReplayAlignmentRemembersAnOldClassThatFineTuningForgets()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(2, perClass: 200);
        var results = new Dictionary<string, ContinualResults>();
        foreach (var method in new[] { "sft", "ra" })
        {
            var options = ToyRuns.Options(method, iterations: 120) with { RaFactor = 1e-2, CheckpointEvery = 1000, Seed = 4 };
            results[method] = ToyRuns.Train(options, data, dir.File(method), dir.Path).Results;
        }
        double sftOld = results["sft"].Accuracy[1][0]!.Value, raOld = results["ra"].Accuracy[1][0]!.Value;
        double afterFirst = results["ra"].Accuracy[0][0]!.Value;
        Assert.True(afterFirst > 0.8, $"class 0 was not learned in task 1 ({afterFirst:P0})");
        Assert.True(raOld > sftOld + 0.3, $"after task 2, class 0 accuracy: RA {raOld:P0}, SFT {sftOld:P0}");
    }
}

[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class EveryMethodRunsTests
{
    [Theory]
    [InlineData("jt")]
    [InlineData("sft")]
    [InlineData("ewc")]
    [InlineData("dgr")]
    [InlineData("jtr")]
    [InlineData("ra")]
    public void ThreeTaskToyRunCompletesWithAFullReport(string method)
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(3, perClass: 40);
        var options = ToyRuns.Options(method, iterations: 6, tasks: "0,1,2") with { ReverseSamplesPerClass = 16 };
        var (results, run) = ToyRuns.Train(options, data, dir.File(method), dir.Path);
        Assert.Equal(3, results.Accuracy.Count);
        Assert.Equal(new[] { 1, 2, 3 }, results.Accuracy.Select(row => row.Count(a => a.HasValue)).ToArray());
        Assert.NotNull(results.ReverseAccuracy);
        foreach (var file in new[] { "report.html", "accuracy.csv", "images/tasks.gif", "figures/accuracy-matrix.png", "figures/tsne-first-class.png" })
            Assert.True(File.Exists(Path.Combine(run.Root, file)), file);
    }
}
