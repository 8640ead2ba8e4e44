using Mnemo.Training;

namespace Mnemo.Tests.Training;

/// <summary>The engine's loop with a counting system: phase hooks, cadences, evaluation schedule, divergence and
/// resume positions, without any network.</summary>
public class RunEngineTests
{
    sealed record Losses(double Loss) : IStepLosses
    {
        public IEnumerable<double?> Values => [Loss];
        public string Summary => $"loss {Loss}";
    }

    sealed record Record(long Step, int Phase, double Loss) : IMetricRecord
    {
        public static string? Event => null;
    }

    /// <summary>Two phases of 5 and 3 iterations; its state is the number of steps taken.</summary>
    sealed class Counter(RunFolder run, double? nanAt = null) : ITrainingSystem<Losses>
    {
        public readonly List<string> Calls = new();
        public long Steps;
        /// <summary>How often the engine read an iteration's losses on the host.</summary>
        public int Reads;
        public string CheckpointKind => "counter";
        public string Fingerprint => "f";
        public IReadOnlyList<TrainingPhase> Phases { get; } = [new("task 1", "one", 5), new("task 2", "two", 3)];
        public int LogEvery => 2;
        public int CheckpointEvery => 2;
        public int? EvaluateEvery => 4;
        public void Prepare(int completedPhases, bool resumed) => Calls.Add($"prepare {completedPhases} {resumed}");
        public void BeginPhase(int phase) => Calls.Add($"begin {phase}");
        public DeviceLosses<Losses> Step(StepPosition at)
        {
            using var loss = TorchSharp.torch.tensor(++Steps == nanAt ? double.NaN : Steps);
            return DeviceLosses<Losses>.Of(v => { Reads++; return new Losses(v[0]!.Value); }, loss);
        }
        public void LogTraining(Losses losses, StepPosition at, double secondsPerIteration) => run.Log(new Record(at.Step, at.Phase, losses.Loss));
        public void AfterStep(StepPosition at) { }
        public void EndPhase(int phase) => Calls.Add($"end {phase}");
        public void Evaluate(StepPosition at, bool phaseEnd) => Calls.Add($"evaluate {at.Step}{(phaseEnd ? " end" : "")}");
        public void Finish() => Calls.Add("finish");
        public void Save(Checkpoint checkpoint, StepPosition at) => checkpoint.Meta["steps"] = Steps;
        public void Load(Checkpoint checkpoint, StepPosition at) => Steps = (long)checkpoint.Meta["steps"]!;
        public void Dispose() { }
    }

    [Fact]
    public void PhasesCadencesAndScheduleRunInOrder()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        var system = new Counter(run);
        Assert.True(new RunEngine(run).Run(system, resume: false));
        Assert.Equal(new[] { "prepare 0 False", "begin 0", "evaluate 4", "end 0", "evaluate 5 end", "begin 1", "end 1", "evaluate 8 end", "finish" }, system.Calls);
        // Logged every 2 iterations of a phase and at each phase's end.
        Assert.Equal(new long[] { 2, 4, 5, 7, 8 }, run.Read<Record>().Select(r => r.Step).ToArray());
        Assert.True(RunEngine.IsFinished(run, "counter", "f", system.Phases));
    }

    [Fact]
    public void AStoppedRunResumesAtItsCheckpointAndAPhaseEndResumesAtTheNextPhase()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        Assert.False(new RunEngine(run) { StopAfterIterations = 3 }.Run(new Counter(run), resume: false));
        var resumed = new Counter(run);
        Assert.True(new RunEngine(run).Run(resumed, resume: true));
        Assert.Equal(8, resumed.Steps); // restored at 2, then six more
        Assert.Equal(new[] { "prepare 0 True", "evaluate 4", "end 0", "evaluate 5 end", "begin 1", "end 1", "evaluate 8 end", "finish" }, resumed.Calls);
        Assert.Equal(new long[] { 2, 4, 5, 7, 8 }, run.Read<Record>().Select(r => r.Step).ToArray()); // nothing logged twice

        var finished = new Counter(run);
        var messages = new RecordingProgress();
        Assert.True(new RunEngine(run, messages).Run(finished, resume: true));
        Assert.Equal(new[] { "prepare 2 True", "finish" }, finished.Calls);
        Assert.Equal("the run is already finished (task 2 of 2 done): nothing to train; its report is rebuilt", Assert.Single(messages.Lines));
    }

    [Fact]
    public void ARunKilledBeforeItsFirstCheckpointStartsAgainWithoutItsOldRecords()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        var first = new Counter(run);
        Assert.False(new RunEngine(run) { StopAfterIterations = 3 }.Run(first, resume: false));
        foreach (var f in Directory.GetFiles(run.CheckpointsDir)) File.Delete(f); // killed before any checkpoint
        Assert.True(new RunEngine(run).Run(new Counter(run), resume: true));
        Assert.Equal(new long[] { 2, 4, 5, 7, 8 }, run.Read<Record>().Select(r => r.Step).ToArray());
    }

    [Fact]
    public void ANanLossStopsTheRunNamingThePhaseAndIteration()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        var e = Assert.Throws<MnemoException>(() => new RunEngine(run).Run(new Counter(run, nanAt: 7), resume: false));
        Assert.Contains("a loss became NaN at task 2, iteration 2", e.Message);
        Assert.Contains("step-000000005.ckpt", e.Message);
    }

    [Fact]
    public void LossesAreReadAtTheLoggingCadenceNotEveryIteration()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        var system = new Counter(run);
        new RunEngine(run).Run(system, resume: false);
        // 8 iterations; read where a record, checkpoint or evaluation follows: iterations 2, 4, 5 and 2, 3 of the phases.
        Assert.Equal(5, system.Reads);
    }

    [Fact]
    public void ANanBetweenReadsIsNamedAtItsOwnIterationAndNothingAfterItIsSaved()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new());
        var e = Assert.Throws<MnemoException>(() => new RunEngine(run).Run(new Counter(run, nanAt: 6), resume: false));
        Assert.Contains("a loss became NaN at task 2, iteration 1.", e.Message);
        Assert.Contains("step-000000005.ckpt", e.Message);
        Assert.Equal("step-000000005.ckpt", Path.GetFileName(Directory.GetFiles(run.CheckpointsDir).Max()));
    }
}
