using System.Diagnostics;
using Mnemo.Sweeps;
using Mnemo.Tests.Cli;

namespace Mnemo.Tests.Sweeps;

/// <summary>`mnemo sweep` on this machine through the real CLI: a 2×2 grid run by the worker pool and reported, a
/// second sweep that skips everything, a killed sweep that resumes its runs, and a grid with a diverging run.</summary>
[Collection("training")]
public class SweepCliTests
{
    static void Succeeds((int Code, string Stdout, string Stderr) r) => Assert.True(r.Code == 0, $"exit {r.Code}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");

    [Fact]
    public void RunsAGridWithAWorkerPoolThenSkipsFinishedRunsAndReports()
    {
        using var dir = new TempDir();
        var grid = ToyGrids.Ring(dir.Path);
        var sweep = dir.File("sweep");

        var first = CliProcess.Run(dir.Path, "sweep", grid, "--out", sweep, "--workers", "2", "--threads", "1");
        Succeeds(first);
        Assert.Contains("4 points, 4 to run, 2 at a time with 1 thread(s) each", first.Stdout);
        Assert.Contains("4/4 done (4 finished)", first.Stdout);
        foreach (var name in new[] { "method=selfcond,seed=1", "method=selfcond,seed=2", "method=unconditional,seed=1", "method=unconditional,seed=2" })
        {
            Assert.True(File.Exists(Path.Combine(sweep, "runs", name, "report.html")), name);
            Assert.Contains("--threads 1", File.ReadAllText(Path.Combine(sweep, "logs", name + ".log")));
        }

        var again = CliProcess.Run(dir.Path, "sweep", grid, "--out", sweep);
        Succeeds(again);
        Assert.Contains("0 to run", again.Stdout);
        Assert.Equal(4, again.Stdout.Split('\n').Count(l => l.Contains("finished before, skipped", StringComparison.Ordinal)));

        var report = CliProcess.Run(dir.Path, "sweep", "report", sweep);
        Succeeds(report);
        Assert.Contains("method | modes | % high quality | reverse KL", report.Stdout);
        Assert.DoesNotContain("warning:", report.Stdout);
        var cells = ToyGrids.Cells(sweep);
        Assert.Equal(6, cells.Count); // 2 methods × (modes, % high quality, reverse KL): no FID for a 2-D mixture
        var points = ToyGrids.Points(sweep);
        foreach (var method in new[] { "selfcond", "unconditional" })
        {
            var kl = cells[(method, "", "reverse_kl")];
            Assert.Equal(("2", "2"), (kl[5], kl[6]));
            var seeds = new[] { 1, 2 }.Select(s => (double)points[$"method={method},seed={s}"]["metrics"]!["reverse_kl"]!).ToArray();
            Assert.Equal(seeds.Average(), double.Parse(kl[3], System.Globalization.CultureInfo.InvariantCulture), 12);
        }
        Assert.True(File.Exists(Path.Combine(sweep, "report.html")));

        // Another grid in the same folder is refused: a sweep never mixes grids.
        File.WriteAllText(grid, File.ReadAllText(grid).Replace("[1, 2]", "[1, 2, 3]"));
        var other = CliProcess.Run(dir.Path, "sweep", grid, "--out", sweep);
        Assert.Equal(1, other.Code);
        Assert.Contains("holds a sweep of another grid", other.Stderr);
    }

    [Fact]
    public void AKilledSweepStopsItsRunsAndTheNextOneResumesThem()
    {
        using var dir = new TempDir();
        var grid = ToyGrids.Ring(dir.Path, iterations: 200);
        var sweep = dir.File("sweep");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.Path };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Mnemo.Cli.dll"), "sweep", grid, "--out", sweep, "--workers", "2", "--threads", "1" })
            info.ArgumentList.Add(a);
        info.Environment["CI"] = "1";
        using (var killed = Process.Start(info)!)
        {
            _ = killed.StandardOutput.ReadToEndAsync();
            _ = killed.StandardError.ReadToEndAsync();
            var checkpoints = Path.Combine(sweep, "runs", "method=selfcond,seed=1", "checkpoints");
            var clock = Stopwatch.StartNew();
            while (!(Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints, "step-*.ckpt").Length > 0) && clock.Elapsed < TimeSpan.FromMinutes(3))
                Thread.Sleep(200);
            Assert.True(Directory.GetFiles(checkpoints, "step-*.ckpt").Length > 0, "no checkpoint within 3 minutes");
            killed.Kill(entireProcessTree: false); // SIGKILL the sweep alone: its runs must notice and stop by themselves
            killed.WaitForExit();
        }

        // The orphaned runs exit once their standard input closes, releasing their locks.
        var folder = SweepFolder.Open(sweep);
        var first = folder.Point(0);
        var deadline = Stopwatch.StartNew();
        IDisposable? lockHeld;
        while ((lockHeld = folder.TryLock(first)) is null && deadline.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(200);
        Assert.NotNull(lockHeld);
        lockHeld!.Dispose();
        Assert.Equal(PointState.Incomplete, folder.StateOf(first));

        var resumed = CliProcess.Run(dir.Path, "sweep", sweep, "--workers", "2", "--threads", "1");
        Succeeds(resumed);
        Assert.Contains("[sweep] method=selfcond,seed=1: resuming", resumed.Stdout);
        Assert.Contains("[method=selfcond,seed=1] resuming at iteration ", resumed.Stdout);
        Assert.All(folder.Points(), p => Assert.Equal(PointState.Finished, folder.StateOf(p)));
    }

    [Fact]
    public void ADivergedRunIsFlaggedAndLeftOutOfItsCell()
    {
        using var dir = new TempDir();
        var root = TinyMnist.Create(dir.File("data"));
        var grid = dir.File("continual.json");
        File.WriteAllText(grid, """
            { "system": "continual",
              "options": { "method": "sft", "tasks": "0,1", "profile": "quick", "iterations-per-task": 2, "eval-samples": 8, "reverse-samples": 0, "batch-size": 8 },
              "axes": { "lr": [1e-4, 1e30], "seed": [1] } }
            """);
        var sweep = dir.File("sweep");
        var run = CliProcess.Run(dir.Path, "sweep", grid, "--out", sweep, "--root", root, "--workers", "1", "--threads", "1");
        Assert.Equal(0, run.Code); // a diverged run is a result, flagged in the report; nothing needs retrying
        Assert.Contains("lr=1e30,seed=1: diverged", run.Stdout);

        var report = CliProcess.Run(dir.Path, "sweep", "report", sweep);
        Succeeds(report);
        Assert.Contains("warning: lr=1e30,seed=1 is diverged: training diverged: a loss became", report.Stdout);
        var cells = ToyGrids.Cells(sweep); // no method axis: the learning rates are the rows
        var ok = cells[("1e-4", "", "final_average_accuracy")];
        Assert.Equal(("1", "1", "0"), (ok[5], ok[6], ok[7]));
        Assert.InRange(double.Parse(ok[3], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
        var bad = cells[("1e30", "", "final_average_accuracy")];
        Assert.Equal(("", "0", "1", "1"), (bad[3], bad[5], bad[6], bad[7]));
        Assert.Contains("0 of 1 seeds: 1 diverged", File.ReadAllText(Path.Combine(sweep, "report.html")));

        // Diverged is settled: the next sweep leaves it alone rather than diverging again.
        var again = CliProcess.Run(dir.Path, "sweep", sweep);
        Succeeds(again);
        Assert.Contains("lr=1e30,seed=1: diverged before, skipped", again.Stdout);
    }
}
