using System.Text.Json.Nodes;
using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Training;

namespace Mnemo.Tests.Cli;

/// <summary>The success paths of the continual commands through the real CLI, on a tiny MNIST: `continual
/// compare` (new, resumed, and refused when the folder holds other settings), `report run`, `report compare`,
/// `sample`, and `demo` refusing a folder of a smoke test.</summary>
[Collection("training")]
public class ContinualCliTests
{
    static string[] Compare(string root, string outDir, int iterations, bool resume = false) =>
    [
        "continual", "compare", "--methods", "sft,ra", "--tasks", "0,1", "--profile", "quick", "--iterations-per-task", iterations.ToString(),
        "--eval-samples", "8", "--batch-size", "8", "--threads", "1", "--root", root, "--out", outDir, .. resume ? new[] { "--resume" } : [],
    ];

    static void Succeeds((int Code, string Stdout, string Stderr) r) => Assert.True(r.Code == 0, $"exit {r.Code}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");

    [Fact]
    public void CompareReportsAndSamplesAndNeverMixesSettings()
    {
        using var dir = new TempDir();
        var root = TinyMnist.Create(dir.File("data"));
        var table = dir.File("table");

        var first = CliProcess.Run(dir.Path, Compare(root, table, 2));
        Succeeds(first);
        Assert.Contains("comparison: ", first.Stdout);
        var comparison = JsonNode.Parse(File.ReadAllText(Path.Combine(table, "comparison.json")))!;
        Assert.Equal(2, (int)comparison["iterations_per_task"]!);
        Assert.Equal(new[] { "sft", "ra" }, comparison["methods"]!.AsArray().Select(m => (string)m!["method"]!).ToArray());
        foreach (var method in new[] { "sft", "ra" })
        {
            Assert.True(File.Exists(Path.Combine(table, method, "report.html")), method);
            Assert.Equal(2, ContinualResults.FromJson(Path.Combine(table, method, "evaluation.json")).AverageAccuracy.Count);
        }

        // The reproduced bug: a resumed comparison with another budget must not report a mix of settings.
        var before = CliProcess.Snapshot(table);
        var stale = CliProcess.Run(dir.Path, Compare(root, table, 3, resume: true));
        Assert.Equal(1, stale.Code);
        var error = Assert.Single(stale.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("other settings", error);
        Assert.Contains("IterationsPerTask 2, requested 3", error);
        Assert.Equal(before, CliProcess.Snapshot(table));
        Assert.Equal(2, ContinualExperiment.ReadOptions(Path.Combine(table, "sft")).IterationsPerTask);

        // The same settings resumed: finished runs are read back, nothing retrains.
        var again = CliProcess.Run(dir.Path, Compare(root, table, 2, resume: true));
        Succeeds(again);
        Assert.DoesNotContain("task 1/2", again.Stdout);

        File.Delete(Path.Combine(table, "ra", "report.html"));
        var report = CliProcess.Run(dir.Path, "report", "run", Path.Combine(table, "ra"));
        Succeeds(report);
        Assert.True(File.Exists(Path.Combine(table, "ra", "report.html")));

        var side = dir.File("side");
        Succeeds(CliProcess.Run(dir.Path, "report", "compare", Path.Combine(table, "sft"), Path.Combine(table, "ra"), "--out", side));
        var csv = File.ReadAllLines(Path.Combine(side, "comparison.csv"));
        Assert.Equal(new[] { "sft", "ra" }, csv.Skip(1).Select(l => l.Split(',')[0]).ToArray());
        Assert.True(File.Exists(Path.Combine(side, "comparison.html")));

        var npz = dir.File("ra.npz");
        var sample = CliProcess.Run(dir.Path, "sample", "--run", Path.Combine(table, "ra"), "--classes", "0,1", "--n", "5", "--out", npz);
        Succeeds(sample);
        Assert.Contains("wrote 10 images", sample.Stdout);
        var arrays = Npz.Read(npz);
        Assert.Equal(new long[] { 10, 32, 32, 1 }, arrays["images"].Shape);
        Assert.Equal(new long[] { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1 }, Enumerable.Range(0, 10).Select(i => BitConverter.ToInt64(arrays["labels"].Data, 8 * i)).ToArray());
        var pngs = dir.File("pngs");
        Succeeds(CliProcess.Run(dir.Path, "sample", "--run", Path.Combine(table, "sft"), "--classes", "1", "--n", "3", "--out", pngs));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(pngs, "1"), "*.png").Length);
    }

    [Fact]
    public void DemoRefusesAFolderHoldingASmokeTestsRuns()
    {
        using var dir = new TempDir();
        var demo = dir.File("demo");
        // What `demo --iterations-per-task 5` leaves behind; `demo` with the profile's budget must not report it.
        var smoke = MerganOptions.ForProfile("quick", "mnist") with { Method = ContinualMethod.Ra, IterationsPerTask = 5 };
        RunFolder.Create(Path.Combine(demo, "ra"), smoke.ToJson());
        var before = CliProcess.Snapshot(dir.Path);
        var r = CliProcess.Run(dir.Path, "demo", "--out", demo, "--root", dir.File("data"));
        Assert.Equal(1, r.Code);
        var error = Assert.Single(r.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("IterationsPerTask 5, requested 500", error);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal(before, CliProcess.Snapshot(dir.Path));
    }
}
