using Mnemo.Data.Readers;
using Mnemo.SelfConditioned;
using Mnemo.Tests.Cli;
using Mnemo.Training;

namespace Mnemo.Tests.Robustness;

/// <summary>
/// Bad options, corrupt files and foreign checkpoints through the real CLI: each gives one `error:` line that says
/// what is wrong, exit code 1, no stack trace, and leaves the file system as it was.
/// </summary>
public class BadInputTests
{
    static (int Code, string Stdout, string Stderr) Run(string workDir, params string[] args) => CliProcess.Run(workDir, args);

    static Dictionary<string, string> Snapshot(string dir) => CliProcess.Snapshot(dir);

    static void AssertCleanFailure(string dir, Dictionary<string, string> before, (int Code, string Stdout, string Stderr) r, string expected)
    {
        Assert.True(r.Code == 1, $"exit {r.Code}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");
        var errorLines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errorLines.Count == 1, $"expected one error line, got: {r.Stderr}");
        Assert.Contains(expected, errorLines[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
        Assert.Equal(before, Snapshot(dir));
    }

    [Theory]
    [InlineData("unknown method", "continual", "--method", "foo", "--out", "run")]
    [InlineData("batch", "continual", "--batch-size", "-5", "--out", "run")]
    [InlineData("outside", "continual", "--tasks", "0-12", "--out", "run")]
    [InlineData("iterations", "continual", "--iterations-per-task", "0", "--out", "run")]
    [InlineData("learning rate", "continual", "--lr", "-1", "--out", "run")]
    [InlineData("--reverse-samples must not be negative", "continual", "--reverse-samples", "-1", "--out", "run")]
    [InlineData("unknown first clustering 'fresh'; choose one of: random, critic", "continual", "--method", "lf-ra", "--first-clustering", "fresh", "--out", "run")]
    [InlineData("unknown replay classification 'each'; choose one of: batch, per-cluster", "continual", "--method", "lf-ra", "--replay-classification", "each", "--out", "run")]
    [InlineData("--replay-classification applies to lf-ra only (the one method whose critic classifies the replay)", "continual", "--method", "lf-sft", "--replay-classification", "per-cluster", "--out", "run")]
    [InlineData("unknown profile", "continual", "--profile", "fast", "--out", "run")]
    [InlineData("unknown dataset", "continual", "--dataset", "imagenet", "--out", "run")]
    [InlineData("--k", "selfcond", "--k", "0", "--out", "run")]
    [InlineData("unknown method", "selfcond", "--method", "bogus", "--out", "run")]
    [InlineData("unknown", "selfcond", "--dataset", "spiral", "--out", "run")]
    [InlineData("memory", "memorygan", "--memory-size", "-1", "--out", "run")]
    [InlineData("k ≤ memory size", "memorygan", "--top-k", "100000", "--memory-size", "64", "--out", "run")]
    [InlineData("not a Mnemo run", "sample", "--run", "missing-run", "--classes", "0-9", "--n", "10", "--out", "x.npz")]
    [InlineData("not found", "eval", "is", "--fake", "missing.npz")]
    [InlineData("not a Mnemo run", "continual", "--resume", "missing-run")]
    [InlineData("--resume takes the run's own settings; drop --iterations-per-task or start a new --out", "continual", "--resume", "run", "--iterations-per-task", "3")]
    [InlineData("drop --seed and --lr or start a new --out", "continual", "--seed", "4", "--resume", "run", "--lr", "0.1")]
    [InlineData("--resume takes the run's own settings; drop --k or start a new --out", "selfcond", "--resume", "run", "--k", "3")]
    [InlineData("drop --compare or start", "selfcond", "--resume", "run", "--compare", "selfcond,supervised")]
    [InlineData("--resume takes the run's own settings; drop --profile or start a new --out", "memorygan", "--resume", "run", "--profile", "quick")]
    [InlineData("--resume continues the run in its own folder; drop --out", "memorygan", "--resume", "run", "--out", "elsewhere")]
    [InlineData("not found", "eval", "fid", "--real", "mnist", "--fake", "missing.npz")]
    [InlineData("not found", "eval", "fid", "--real", "imagenet", "--fake", "missing-folder")]
    [InlineData("folder not found", "eval", "fid", "--real", "folder:missing-folder", "--fake", "mnist")]
    public void BadOptionsGiveOneClearErrorAndTouchNothing(string expected, params string[] args)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("keep.txt"), "untouched");
        var before = Snapshot(dir.Path);
        AssertCleanFailure(dir.Path, before, Run(dir.Path, args.Concat(new[] { "--root", dir.File("data") }).ToArray()), expected);
    }

    [Fact]
    public void TruncatedDatasetFileIsNamedInTheError()
    {
        using var dir = new TempDir();
        var mnist = Path.Combine(dir.Path, "mnist");
        Directory.CreateDirectory(mnist);
        foreach (var prefix in new[] { "train", "t10k" })
        {
            IdxReader.WriteImages(Path.Combine(mnist, $"{prefix}-images-idx3-ubyte"), new byte[3 * 28 * 28], 3, 28, 28);
            IdxReader.WriteLabels(Path.Combine(mnist, $"{prefix}-labels-idx1-ubyte"), new byte[] { 0, 1, 2 });
        }
        var images = Path.Combine(mnist, "train-images-idx3-ubyte");
        File.WriteAllBytes(images, File.ReadAllBytes(images)[..1000]);
        var before = Snapshot(dir.Path);
        AssertCleanFailure(dir.Path, before, Run(dir.Path, "data", "info", "mnist", "--root", dir.Path), "train-images-idx3-ubyte");
    }

    [Fact]
    public void CorruptSampleFileIsRejected()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("fake.npz"), "PK\u0003\u0004 this is not a zip archive"u8.ToArray());
        var before = Snapshot(dir.Path);
        AssertCleanFailure(dir.Path, before, Run(dir.Path, "eval", "is", "--fake", "fake.npz", "--root", dir.File("data")), "fake.npz");
    }

    [Theory]
    [InlineData("memorygan", 1, "'memorygan' checkpoint")]
    [InlineData("selfcond", 99, "format 99")]
    public void ForeignCheckpointIsRefusedAndKept(string kind, int format, string expected)
    {
        using var dir = new TempDir();
        var options = SelfCondOptions.ForProfile("quick", "ring", SelfCondMethod.Selfcond) with
        {
            Iterations = 20, K = 3, ClusterSamples = 200, EvalSamples = 200, CheckpointEvery = 10, TrainPoints = 1000, Threads = 1,
        };
        var runDir = dir.File("run");
        SelfCondExperiment.Start(options, runDir, dir.Path, NullProgress.Instance);
        // The newest checkpoint replaced by one from another model (or a future format), with a valid checksum.
        var foreign = new Checkpoint(kind, 30, "other");
        foreign.Meta["format"] = format;
        foreign.Save(Path.Combine(runDir, "checkpoints", "step-000000030.ckpt"));
        var before = Snapshot(dir.Path);
        AssertCleanFailure(dir.Path, before, Run(dir.Path, "selfcond", "--resume", runDir), expected);
    }
}
