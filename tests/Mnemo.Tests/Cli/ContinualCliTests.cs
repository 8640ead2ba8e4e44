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
        "--eval-samples", "8", "--reverse-samples", "10", "--batch-size", "8", "--threads", "1", "--root", root, "--out", outDir, .. resume ? new[] { "--resume" } : [],
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
        foreach (var method in new[] { "Sequential fine-tuning", "MeRGAN-RA" })
            Assert.Matches($@"(?m)^{method} +final average accuracy on generated images after 2 tasks: \d+\.\d%$", first.Stdout);
        var comparison = JsonNode.Parse(File.ReadAllText(Path.Combine(table, "comparison.json")))!;
        Assert.Equal(2, (int)comparison["iterations_per_task"]!);
        Assert.Equal(new[] { "sft", "ra" }, comparison["methods"]!.AsArray().Select(m => (string)m!["method"]!).ToArray());
        // --reverse-samples reaches every method: a classifier trained on 10 generated images per class.
        Assert.All(comparison["methods"]!.AsArray(), m => Assert.InRange((double)m!["reverse_accuracy"]!, 0, 1));
        Assert.Equal(10, ContinualExperiment.ReadOptions(Path.Combine(table, "ra")).ReverseSamplesPerClass);
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
        Assert.Contains("--iterations-per-task 2, requested 3", error);
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
        Assert.Contains("Same networks, budget (2 iterations per task", File.ReadAllText(Path.Combine(side, "comparison.html")));

        // Runs of other budgets side by side: headed by what differs, each row labelled with its values.
        var other = dir.File("ra-3");
        CopyFolder(Path.Combine(table, "ra"), other);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(other, "config.json")))!;
        config["settings"]!["IterationsPerTask"] = 3;
        File.WriteAllText(Path.Combine(other, "config.json"), config.ToJsonString());
        var mixed = dir.File("mixed");
        Succeeds(CliProcess.Run(dir.Path, "report", "compare", Path.Combine(table, "ra"), other, "--out", mixed));
        var html = File.ReadAllText(Path.Combine(mixed, "comparison.html"));
        Assert.Contains("besides the method they differ in --iterations-per-task", html);
        Assert.DoesNotContain("Same networks", html);
        Assert.Contains("MeRGAN-RA (--iterations-per-task 3)", html);
        Assert.Equal(new[] { "--iterations-per-task 2", "--iterations-per-task 3" }, File.ReadAllLines(Path.Combine(mixed, "comparison.csv")).Skip(1).Select(l => l.Split(',')[^1]));
        var mixedJson = JsonNode.Parse(File.ReadAllText(Path.Combine(mixed, "comparison.json")))!;
        Assert.Null(mixedJson["iterations_per_task"]);
        Assert.Equal("IterationsPerTask", (string)mixedJson["differing_settings"]![0]!);

        // A finished run resumed says so and prints its result.
        var finished = CliProcess.Run(dir.Path, "continual", "--resume", Path.Combine(table, "ra"));
        Succeeds(finished);
        Assert.Contains("the run is already finished (task 2 of 2 done): nothing to train", finished.Stdout);
        Assert.Contains("final average accuracy", finished.Stdout);
        Assert.DoesNotContain("resuming at", finished.Stdout);

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
    public void LabelFreeCompareSamplesClustersAndRefusesClusterOptionsForLabelledMethods()
    {
        using var dir = new TempDir();
        var root = TinyMnist.Create(dir.File("data"), classes: 4, perClass: 20);
        var table = dir.File("table");
        var compare = CliProcess.Run(dir.Path, "continual", "compare", "--methods", "lf-sft,lf-dgr,ra", "--tasks", "0+1,2+3", "--profile", "quick",
            "--iterations-per-task", "2", "--eval-samples", "8", "--reverse-samples", "10", "--batch-size", "8", "--clusters-per-task", "3", "--cluster-samples", "30",
            "--threads", "1", "--root", root, "--out", table);
        Succeeds(compare);
        foreach (var name in new[] { "Label-free SFT", "Label-free DGR" })
            Assert.Matches($@"(?m)^{name} +final average accuracy on generated images after 2 tasks: \d+\.\d%$", compare.Stdout);
        // The cluster options reach the label-free methods only.
        Assert.Equal(3, ContinualExperiment.ReadOptions(Path.Combine(table, "lf-sft")).ClustersPerTask);
        Assert.Equal(3, ContinualExperiment.ReadOptions(Path.Combine(table, "lf-dgr")).ClustersPerTask);
        Assert.Null(ContinualExperiment.ReadOptions(Path.Combine(table, "ra")).ClustersPerTask);
        var methods = JsonNode.Parse(File.ReadAllText(Path.Combine(table, "comparison.json")))!["methods"]!.AsArray();
        Assert.NotNull(methods[0]!["final_cluster_accuracy"]);
        Assert.NotNull(methods[1]!["final_cluster_accuracy"]);
        Assert.Null(methods[2]!["final_cluster_accuracy"]);
        Assert.All(methods, m => Assert.InRange((double)m!["reverse_accuracy"]!, 0, 1));
        Assert.Equal(2, ContinualResults.FromJson(Path.Combine(table, "lf-dgr", "evaluation.json")).LabelFree!.Count);
        Assert.Contains("Label-free methods:", File.ReadAllText(Path.Combine(table, "comparison.html")));

        // Conditions of a label-free run are its 3 × 2 cluster ids.
        var npz = dir.File("lf.npz");
        Succeeds(CliProcess.Run(dir.Path, "sample", "--run", Path.Combine(table, "lf-sft"), "--classes", "4,5", "--n", "2", "--out", npz));
        Assert.Equal(new long[] { 4, 4, 5, 5 }, Enumerable.Range(0, 4).Select(i => BitConverter.ToInt64(Npz.Read(npz)["clusters"].Data, 8 * i)).ToArray());
        var outside = CliProcess.Run(dir.Path, "sample", "--run", Path.Combine(table, "lf-sft"), "--classes", "6", "--n", "2", "--out", dir.File("x.npz"));
        Assert.Equal(1, outside.Code);
        Assert.Contains("cluster 6 is outside 0..5", outside.Stderr);

        // Label-free DGR's generator is unconditional: a cluster's images are those its solver assigns to it, at most --n.
        var dgrNpz = dir.File("dgr.npz");
        Succeeds(CliProcess.Run(dir.Path, "sample", "--run", Path.Combine(table, "lf-dgr"), "--classes", "0-5", "--n", "2", "--out", dgrNpz));
        var dgrClusters = Npz.Read(dgrNpz)["clusters"].Data;
        var ids = Enumerable.Range(0, dgrClusters.Length / 8).Select(i => BitConverter.ToInt64(dgrClusters, 8 * i)).ToArray();
        Assert.InRange(ids.Length, 1, 12);
        Assert.All(ids.GroupBy(c => c), g => Assert.InRange(g.Count(), 1, 2));
        Assert.Equal(ids.Order().ToArray(), ids);
        // From a checkpoint of task 1 only its clusters exist; a later one is refused with one clear error.
        var early = dir.File("lf-dgr-early");
        CopyFolder(Path.Combine(table, "lf-dgr"), early);
        File.Delete(Directory.GetFiles(Path.Combine(early, "checkpoints"), "step-*.ckpt").Max()!);
        var unseen = CliProcess.Run(dir.Path, "sample", "--run", early, "--classes", "4", "--n", "2", "--out", dir.File("y.npz"));
        Assert.Equal(1, unseen.Code);
        Assert.Contains("cluster 4 does not exist yet", Assert.Single(unseen.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal)));

        var refused = CliProcess.Run(dir.Path, "continual", "--method", "ra", "--tasks", "0+1,2+3", "--clusters-per-task", "3", "--root", root, "--out", dir.File("bad"));
        Assert.Equal(1, refused.Code);
        Assert.Contains("apply to the label-free methods", Assert.Single(refused.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(dir.File("bad")));
    }

    static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
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
        Assert.Contains("--iterations-per-task 5, requested 500", error);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal(before, CliProcess.Snapshot(dir.Path));
    }
}
