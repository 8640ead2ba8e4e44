using System.Text.Json.Nodes;
using Mnemo.Training;

namespace Mnemo.Tests.Cli;

/// <summary>--device through the real CLI: recorded in config.json and the report, a run moved to another device on
/// resume (its checkpoint loaded through the device-mapping path), and CUDA asked for where it cannot be loaded: one
/// clear error line, nothing written.</summary>
[Collection("training")]
public class DeviceCliTests
{
    static string[] Continual(string root, string outDir, params string[] extra) =>
    [
        "continual", "--method", "ra", "--tasks", "0,1", "--profile", "quick", "--iterations-per-task", "2", "--eval-samples", "8", "--reverse-samples", "0",
        "--batch-size", "8", "--threads", "1", "--root", root, "--out", outDir, .. extra,
    ];

    static void Succeeds((int Code, string Stdout, string Stderr) r) => Assert.True(r.Code == 0, $"exit {r.Code}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");

    static JsonObject Config(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!.AsObject();

    [SkippableFact]
    public void CudaWhereItCannotBeLoadedIsOneClearErrorAndWritesNothing()
    {
        SkipTestException.If(CudaProbe.Result.Available, "this machine has CUDA");
        using var dir = new TempDir();
        var root = TinyMnist.Create(dir.File("data"));
        var before = CliProcess.Snapshot(dir.Path);
        foreach (var args in new[]
                 {
                     Continual(root, dir.File("run"), "--device", "cuda"),
                     ["selfcond", "--dataset", "ring", "--profile", "quick", "--iterations", "2", "--device", "cuda:0", "--out", dir.File("ring")],
                     ["memorygan", "--device", "cuda", "--root", root, "--out", dir.File("memgan")],
                 })
        {
            var r = CliProcess.Run(dir.Path, args);
            Assert.Equal(1, r.Code);
            var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Matches(@"^error: --device cuda(:0)?: CUDA cannot be used in this process\. Tried: ", line);
            Assert.Contains("-p:TorchBackend=cuda", line);
            Assert.DoesNotContain("TypeInitialization", r.Stdout + r.Stderr);
        }
        Assert.Equal(before, CliProcess.Snapshot(dir.Path));

        var bad = CliProcess.Run(dir.Path, Continual(root, dir.File("run"), "--device", "gpu"));
        Assert.Equal(1, bad.Code);
        Assert.Equal("error: unknown device 'gpu'; choose auto|cpu|cuda|cuda:N (e.g. --device cuda:1)", bad.Stderr.Trim());
    }

    [SkippableFact]
    public void TheDeviceIsRecordedAndARunStartedOnCudaResumesOnTheCpu()
    {
        SkipTestException.If(CudaProbe.Result.Available, "this machine has CUDA: the simulated GPU run would resume there");
        using var dir = new TempDir();
        var root = TinyMnist.Create(dir.File("data"));
        var run = dir.File("run");
        var first = CliProcess.Run(dir.Path, Continual(root, run, "--device", "auto"));
        Succeeds(first);
        Assert.Contains("device: cpu (requested: auto)", first.Stdout);
        Assert.Equal("""{"requested":"auto","used":"cpu"}""", Config(run)["device"]!.ToJsonString());

        // As if the run had been trained on a GPU machine and copied here: config.json says cuda, and its last task
        // is to be trained again from the checkpoint at the end of task 1.
        var config = Config(run);
        config["device"] = new JsonObject { ["requested"] = "cuda", ["used"] = "cuda:0" };
        File.WriteAllText(Path.Combine(run, "config.json"), config.ToJsonString());
        var checkpoints = Directory.GetFiles(Path.Combine(run, "checkpoints"), "step-*.ckpt").Order(StringComparer.Ordinal).ToList();
        File.Delete(checkpoints[^1]);

        // Without --device it asks for the device it last used, which is not here.
        var refused = CliProcess.Run(dir.Path, "continual", "--resume", run);
        Assert.Equal(1, refused.Code);
        Assert.StartsWith("error: --device cuda: CUDA cannot be used", refused.Stderr.Trim());

        var moved = CliProcess.Run(dir.Path, "continual", "--resume", run, "--device", "cpu");
        Succeeds(moved);
        Assert.Contains("device: cpu", moved.Stdout);
        Assert.Contains("resuming at task 1, iteration 2", moved.Stdout);
        var after = Config(run);
        Assert.Equal("""{"requested":"cpu","used":"cpu"}""", after["device"]!.ToJsonString());
        Assert.Equal("""[{"requested":"cuda","used":"cuda:0"}]""", after["earlier_devices"]!.ToJsonString());
        Assert.Contains("Device: cuda:0, then cpu", File.ReadAllText(Path.Combine(run, "report.html")));

        var npz = dir.File("s.npz");
        Succeeds(CliProcess.Run(dir.Path, "sample", "--run", run, "--classes", "0,1", "--n", "3", "--out", npz, "--device", "cpu"));
        Assert.True(File.Exists(npz));
    }
}
