using System.Text;
using Mnemo.Training;
using Mnemo.Training.TensorBoard;
using Mnemo.Visualization;
using static TorchSharp.torch;

namespace Mnemo.Tests.Training.TensorBoard;

/// <summary>The engine's TensorBoard events with a counting system: scalars at the logging cadence, images at
/// evaluations, the settings as text, resume without a step written twice, and --no-tensorboard.</summary>
public class TensorBoardLogTests
{
    sealed record Losses(double Loss) : IStepLosses
    {
        public IEnumerable<double?> Values => [Loss];
        public string Summary => "";
    }

    sealed record Training(long Step, [property: Position] int Phase, double Loss, double? Unused) : IMetricRecord
    {
        public static string? Event => null;
    }

    sealed record Evaluation(long Step, double Score, double[] PerClass, IReadOnlyDictionary<string, double> ByName, [property: Distribution] int[] Sizes)
        : IMetricRecord
    {
        public static string? Event => "evaluation";
    }

    /// <summary>Two phases of 4 iterations, a record every iteration, a checkpoint every 3, an evaluation with a
    /// grid at every phase end.</summary>
    sealed class Counter(RunFolder run) : ITrainingSystem<Losses>
    {
        long _steps;
        public string CheckpointKind => "counter";
        public string Fingerprint => "f";
        public IReadOnlyList<TrainingPhase> Phases { get; } = [new("task 1", "one", 4), new("task 2", "two", 4)];
        public int LogEvery => 1;
        public int CheckpointEvery => 3;
        public int? EvaluateEvery => null;
        public void Prepare(int completedPhases, bool resumed) { }
        public void BeginPhase(int phase) { }
        public DeviceLosses<Losses> Step(StepPosition at) => DeviceLosses<Losses>.OnHost(new(++_steps * 0.5));
        public void LogTraining(Losses losses, StepPosition at, double secondsPerIteration) => run.Log(new Training(at.Step, at.Phase, losses.Loss, null));
        public void AfterStep(StepPosition at) { }
        public void EndPhase(int phase) { }
        public void Evaluate(StepPosition at, bool phaseEnd)
        {
            run.Log(new Evaluation(at.Step, at.Step * 2, [0.25, 0.75], new Dictionary<string, double> { ["cat"] = 1 }, [3, 1, 4]));
            var path = Path.Combine(run.ImagesDir, "grid.png");
            using (var images = zeros(4, 1, 8, 8).add(at.Step / 10.0)) ImageGrid.SavePng(images, 2, path);
            run.LogImage("samples", path, at.Step);
        }
        public void Finish() { }
        public void Save(Checkpoint checkpoint, StepPosition at) => checkpoint.Meta["steps"] = _steps;
        public void Load(Checkpoint checkpoint, StepPosition at) => _steps = (long)checkpoint.Meta["steps"]!;
        public void Dispose() { }
    }

    [Fact]
    public void Crc32CMatchesTheStandardCheckValues()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32C.Compute([]));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32])); // RFC 3720 B.4: 32 bytes of zeros
    }

    [Fact]
    public void ARunWritesItsScalarsImagesAndSettingsAtTheirSteps()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new() { ["lr"] = 0.001 });
        new RunEngine(run).Run(new Counter(run), resume: false);

        var log = EventLog.Read(run.Root);
        Assert.Single(log.Files);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 7, 8 }, log.Steps("train/loss"));
        Assert.Equal(1.5f, log.Values.Single(v => v.Tag == "train/loss" && v.Step == 3).Value.SimpleValue);
        Assert.Empty(log.Steps("train/phase"));   // a position, not a measurement
        Assert.Empty(log.Steps("train/unused"));  // null: not measured
        Assert.Equal(new long[] { 4, 8 }, log.Steps("evaluation/score"));
        Assert.Equal(0.75f, log.Values.Single(v => v.Tag == "evaluation/per_class/1" && v.Step == 8).Value.SimpleValue);
        Assert.Equal(new long[] { 4, 8 }, log.Steps("evaluation/by_name/cat"));
        var sizes = log.Values.Single(v => v.Tag == "evaluation/sizes" && v.Step == 4).Value.Histo;
        Assert.Equal((3.0, 8.0, 1.0, 4.0), (sizes.Num, sizes.Sum, sizes.Min, sizes.Max));
        Assert.Equal(new[] { ("samples", 4L), ("samples", 8L) }, log.Images.ToArray());
        var settings = log.Values.Single(v => v.Tag == "settings/text_summary");
        Assert.Equal(0, settings.Step);
        Assert.Contains("\"lr\": 0.001", settings.Value.Tensor.StringVal[0].ToStringUtf8());
        log.AssertNoStepTwice();
    }

    [Fact]
    public void AResumedRunAddsAFileAndWritesNoStepTwice()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        // Killed after 6 iterations: steps 5 and 6 were logged after the last checkpoint (step 4, the first phase's end).
        new RunEngine(run) { StopAfterIterations = 6 }.Run(new Counter(run), resume: false);
        Assert.Contains(6L, EventLog.Read(run.Root).Steps("train/loss"));
        Thread.Sleep(20); // event file names start with the time in ticks
        new RunEngine(run).Run(new Counter(run), resume: true);

        var log = EventLog.Read(run.Root);
        Assert.Equal(2, log.Files.Count);
        log.AssertNoStepTwice();
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 7, 8 }, log.Steps("train/loss").Order().ToArray());
        Assert.Equal(run.Read<Training>().Select(r => r.Step).ToArray(), log.Steps("train/loss"));
        Assert.Equal(new long[] { 4, 8 }, log.Images.Select(i => i.Step).ToArray());
        Assert.Single(log.Values, v => v.Tag == "settings/text_summary");

        // A finished run resumed only re-reports: no new (empty) event file.
        new RunEngine(run).Run(new Counter(run), resume: true);
        Assert.Equal(2, EventFile.In(run.Root).Length);
    }

    [Fact]
    public void ATornLastRecordIsDroppedOnResume()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        new RunEngine(run) { StopAfterIterations = 3 }.Run(new Counter(run), resume: false);
        var file = EventFile.In(run.Root).Single();
        File.AppendAllText(file, "torn");
        Assert.False(EventFile.Read(file).Complete);
        new RunEngine(run).Run(new Counter(run), resume: true);
        EventLog.Read(run.Root).AssertNoStepTwice();
    }

    [Fact]
    public void SuppressedRunsWriteNoEventFiles()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        using (TensorBoardLog.Suppress()) new RunEngine(run).Run(new Counter(run), resume: false);
        Assert.Empty(EventFile.In(run.Root));
        Assert.Equal(8, run.Read<Training>().Count);
        Assert.True(TensorBoardLog.Enabled);
    }
}
