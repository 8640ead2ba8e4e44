using System.Diagnostics;
using System.Text.Json.Nodes;
using Mnemo.Training;

namespace Mnemo.Tests.Robustness;

/// <summary>
/// The real CLI, killed with SIGKILL at random moments and resumed: every resume starts from the last complete
/// checkpoint, no checkpoint on disk is ever corrupt or half-written, and the run finishes with the same weights as
/// a run that was never interrupted.
/// </summary>
public class KillAndResumeTests
{
    static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Mnemo.Cli.dll");

    // Four kills, each after one to three more checkpoints (at most 12 × 25 = 300 iterations), leave the run unfinished;
    // a resumed stretch re-clusters (every 150) as well as the uninterrupted run.
    const int Iterations = 450, CheckpointEvery = 25;

    static string[] RunArgs(string dir) =>
    [
        "selfcond", "--dataset", "ring", "--profile", "quick", "--iterations", $"{Iterations}", "--checkpoint-every", $"{CheckpointEvery}",
        "--recluster-every", "150", "--cluster-samples", "1000", "--k", "10", "--eval-samples", "1000", "--threads", "1", "--out", dir,
    ];

    static Process Start(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["CI"] = "1"; // plain progress lines
        return Process.Start(info)!;
    }

    static (int Code, string Output) RunToEnd(IEnumerable<string> args)
    {
        using var p = Start(args);
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    static long[] CheckpointSteps(string dir)
    {
        var files = Directory.GetFiles(Path.Combine(dir, "checkpoints"), "step-*.ckpt");
        // Every checkpoint present must load: the checksum trailer catches a torn write.
        return files.Select(f => Checkpoint.Load(f).Step).Order().ToArray();
    }

    static long LatestStepOnDisk(string dir)
    {
        var ckpt = Path.Combine(dir, "checkpoints");
        if (!Directory.Exists(ckpt)) return 0;
        return Directory.GetFiles(ckpt, "step-*.ckpt").Select(f => long.Parse(Path.GetFileNameWithoutExtension(f)[5..])).DefaultIfEmpty(0).Max();
    }

    [Fact]
    public void SigkilledRunsResumeFromTheLastCompleteCheckpointAndFinishIdentically()
    {
        using var tmp = new TempDir();
        string run = tmp.File("killed"), reference = tmp.File("reference");
        var rng = new Random(5);
        long last = 0;
        var resumedFrom = new List<long>();
        for (int kill = 0; kill < 4; kill++)
        {
            using var p = Start(kill == 0 ? RunArgs(run) : ["selfcond", "--resume", run]);
            var lines = new List<string>();
            p.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (lines) lines.Add(line); };
            p.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (lines) lines.Add(line); };
            p.BeginErrorReadLine();
            p.BeginOutputReadLine();
            // Kill a random few milliseconds after one to three more checkpoints exist: mid-training, possibly
            // mid-write, whatever the machine's speed.
            long target = last + CheckpointEvery * rng.Next(1, 4);
            while (!p.HasExited && LatestStepOnDisk(run) < target) Thread.Sleep(10);
            Thread.Sleep(rng.Next(0, 120));
            Assert.False(p.HasExited, "the run ended before it could be killed");
            p.Kill();
            p.WaitForExit();
            if (kill > 0)
            {
                string text;
                lock (lines) text = string.Join("\n", lines);
                Assert.Contains($"resuming at iteration {last}", text);
                resumedFrom.Add(last);
            }
            var steps = CheckpointSteps(run);
            Assert.All(steps, s => Assert.Equal(0, s % CheckpointEvery));
            last = steps.Max();
            Assert.True(last < Iterations);
        }
        Assert.Equal(3, resumedFrom.Count);
        var (code, output) = RunToEnd(["selfcond", "--resume", run]);
        Assert.True(code == 0, output);
        Assert.Empty(Directory.GetFiles(Path.Combine(run, "checkpoints"), "*.tmp"));
        Assert.True(File.Exists(Path.Combine(run, "metrics.json")), output);
        var (againCode, again) = RunToEnd(["selfcond", "--resume", run]);
        Assert.True(againCode == 0, again);
        Assert.Contains($"the run is already finished (iteration {Iterations} of {Iterations} done): nothing to train", again);
        Assert.Contains("final metrics: modes ", again);
        Assert.DoesNotContain("resuming at", again);

        var (refCode, refOutput) = RunToEnd(RunArgs(reference));
        Assert.True(refCode == 0, refOutput);
        var killed = Checkpoint.Load(Path.Combine(run, "checkpoints", $"step-{Iterations:D9}.ckpt"));
        var clean = Checkpoint.Load(Path.Combine(reference, "checkpoints", $"step-{Iterations:D9}.ckpt"));
        Assert.Equal(clean.Sections.Keys.Order(), killed.Sections.Keys.Order());
        foreach (var name in new[] { "module:generator", "module:discriminator" })
            Assert.True(clean.Sections[name].AsSpan().SequenceEqual(killed.Sections[name]), $"section {name} differs after kills");
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(reference, "metrics.json")))!;
        Assert.Equal((double)b["high_quality"]!, (double)a["high_quality"]!);
    }
}
