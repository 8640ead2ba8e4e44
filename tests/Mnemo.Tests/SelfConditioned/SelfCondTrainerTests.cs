using Mnemo.Evaluation;
using Mnemo.SelfConditioned;
using Mnemo.Tests.Training.TensorBoard;
using Mnemo.Training;

namespace Mnemo.Tests.SelfConditioned;

[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class SelfCondTrainerTests
{
    static SelfCondOptions Ring(int iterations) => SelfCondOptions.ForProfile("quick", "ring", SelfCondMethod.Selfcond) with
    {
        Iterations = iterations, K = 20, ReclusterEvery = 1000, ClusterSamples = 2000, EvalSamples = 2000, EvalEvery = 100_000,
        TrainPoints = 20_000, CheckpointEvery = 1000, Threads = 2, Seed = 1,
    };

    [Fact]
    public void ShortRingRunRecoversAllEightModes()
    {
        using var dir = new TempDir();
        var metrics = SelfCondExperiment.Start(Ring(2500), dir.File("ring"), dir.Path, NullProgress.Instance);
        Assert.Equal(8, metrics.Modes);
        Assert.True(metrics.HighQuality > 0.3, $"high quality {metrics.HighQuality}");
        Assert.True(metrics.ReverseKl < 0.1);
        var log = File.ReadAllLines(Path.Combine(dir.File("ring"), "metrics.jsonl"));
        Assert.Equal(3, log.Count(l => l.Contains("\"clustering\""))); // initial + at 1000 and 2000
        Assert.True(File.Exists(Path.Combine(dir.File("ring"), "figures", "real-vs-generated.png")));
    }

    [Fact]
    public void KilledAndResumedRunMatchesAnUninterruptedOne()
    {
        using var dir = new TempDir();
        var options = Ring(60) with { ReclusterEvery = 20, CheckpointEvery = 20, ClusterSamples = 500, K = 5, EvalSamples = 200 };
        SelfCondExperiment.Start(options, dir.File("whole"), dir.Path, NullProgress.Instance);

        var (train, test) = (Data(options, 1), Data(options, 2));
        var run = RunFolder.Create(dir.File("killed"), options.ToJson());
        var evaluator = new MixtureEvaluator(Mnemo.Data.Mixture2D.Ring(), test.Points);
        new SelfCondTrainer(options, run, train.Set, test.Set, evaluator) { StopAfterIterations = 30 }.Run(resume: false);
        new SelfCondTrainer(options, run, train.Set, test.Set, evaluator).Run(resume: true);

        var a = Checkpoint.Load(Directory.GetFiles(Path.Combine(dir.File("whole"), "checkpoints")).Max()!);
        var b = Checkpoint.Load(Directory.GetFiles(run.CheckpointsDir).Max()!);
        foreach (var section in new[] { "module:generator", "module:discriminator", "tensor:centers" })
            Assert.Equal(a.Sections[section], b.Sections[section]);

        var events = EventLog.Read(run.Root);
        events.AssertNoStepTwice();
        Assert.Equal(new long[] { 60 }, events.Steps("evaluation/modes"));
        Assert.Equal(new long[] { 60 }, events.Steps("evaluation/reverse_kl"));
        Assert.Equal(new long[] { 0, 20, 40 }, events.Values.Where(v => v.Tag == "clustering/sizes" && v.Value.Histo is not null).Select(v => v.Step).Order().ToArray());
        Assert.Equal(new long[] { 60 }, events.Steps("train/d_loss")); // LogEvery 100: the phase end only
        Assert.Equal(new[] { ("samples", 60L) }, events.Images.ToArray());
    }

    [Fact]
    public void CompareContinuesRunsOfItsSettingsAndRefusesOthers()
    {
        using var dir = new TempDir();
        var options = Ring(40) with { ReclusterEvery = 20, CheckpointEvery = 20, ClusterSamples = 500, K = 5, EvalSamples = 200, TrainPoints = 2000 };
        var methods = new[] { SelfCondMethod.Unconditional, SelfCondMethod.Selfcond };
        var path = SelfCondExperiment.Compare(options, methods, dir.File("cmp"), dir.Path, NullProgress.Instance);
        var csv = File.ReadAllLines(Path.Combine(dir.File("cmp"), "comparison.csv"));
        Assert.StartsWith("method,modes,max_modes,high_quality,reverse_kl", csv[0]);
        Assert.Equal(new[] { "unconditional", "selfcond" }, csv.Skip(1).Select(l => l.Split(',')[0]).ToArray());
        Assert.True(File.Exists(path));

        var checkpoint = Path.Combine(dir.File("cmp"), "selfcond", "checkpoints", "step-000000040.ckpt");
        var written = File.GetLastWriteTimeUtc(checkpoint);
        var e = Assert.Throws<MnemoException>(() => SelfCondExperiment.Compare(options with { Iterations = 60 }, methods, dir.File("cmp"), dir.Path, NullProgress.Instance));
        Assert.Contains("--iterations 40, requested 60", e.Message);
        SelfCondExperiment.Compare(options, methods, dir.File("cmp"), dir.Path, NullProgress.Instance); // finished: read back, not retrained
        Assert.Equal(written, File.GetLastWriteTimeUtc(checkpoint));

        // `report run` and `report compare` of Self-Cond folders; a run of another budget is named as such.
        var selfcond = Path.Combine(dir.File("cmp"), "selfcond");
        File.Delete(Path.Combine(selfcond, "report.html"));
        Assert.Equal(Path.Combine(selfcond, "report.html"), RunReports.Report(selfcond));
        var longer = options with { Iterations = 60, Method = SelfCondMethod.Supervised };
        SelfCondExperiment.Start(longer, dir.File("longer"), dir.Path, NullProgress.Instance);
        var side = RunReports.Compare([Path.Combine(dir.File("cmp"), "unconditional"), selfcond, dir.File("longer")], dir.File("side"));
        var sideCsv = File.ReadAllLines(Path.Combine(dir.File("side"), "comparison.csv"));
        Assert.EndsWith(",settings", sideCsv[0]);
        Assert.Equal(new[] { "--iterations 40", "--iterations 40", "--iterations 60" }, sideCsv.Skip(1).Select(l => l.Split(',')[^1]).ToArray());
        var html = File.ReadAllText(side);
        Assert.Contains("besides the method they differ in --iterations", html);
        Assert.Contains("supervised (--iterations 60)", html);
        Assert.DoesNotContain("Same networks", html);
    }

    static (SampleSet Set, TorchSharp.torch.Tensor Points) Data(SelfCondOptions o, int offset)
    {
        var ring = Mnemo.Data.Mixture2D.Ring();
        var (points, modes) = ring.Sample(offset == 1 ? o.TrainPoints : Math.Max(o.EvalSamples, 1000), new Random(o.Seed + offset));
        return (new SampleSet(points, modes, 8), points);
    }
}
