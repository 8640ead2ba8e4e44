using System.Text.Json.Nodes;
using Mnemo.Continual;
using Mnemo.Training;

namespace Mnemo.Tests.Training;

public class RunFolderTests
{
    [Fact]
    public void CreatesLayoutWithConfigAndVersions()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new JsonObject { ["seed"] = 3 });
        Assert.True(Directory.Exists(run.ImagesDir) && Directory.Exists(run.CheckpointsDir));
        var config = JsonNode.Parse(File.ReadAllText(run.ConfigPath))!;
        Assert.Equal(3, (int)config["settings"]!["seed"]!);
        Assert.NotNull(config["versions"]!["torchsharp"]);
        Assert.Contains("--resume", Assert.Throws<MnemoException>(() => RunFolder.Create(dir.File("run"), new JsonObject())).Message);
    }

    [Fact]
    public void MetricsSurviveATornLastLineAndTruncateForResume()
    {
        using var dir = new TempDir();
        var run = RunFolder.Create(dir.File("run"), new JsonObject());
        for (int s = 1; s <= 5; s++) run.LogMetrics(new JsonObject { ["step"] = s });
        File.AppendAllText(run.MetricsPath, "{\"step\": 6, \"los");
        Assert.Equal(5, run.ReadMetrics().Count);
        run.TruncateMetricsAfter(3);
        Assert.Equal(new long[] { 1, 2, 3 }, run.ReadMetrics().Select(m => (long)m["step"]!).ToArray());
    }

    [Fact]
    public void ConfigIsReadableAndKeepsTheFingerprintOfExistingRuns()
    {
        using var dir = new TempDir();
        var options = new MerganOptions { Tasks = "0+1,2+3" };
        var run = RunFolder.Create(dir.File("run"), options.ToJson());
        var text = File.ReadAllText(run.ConfigPath);
        Assert.Contains("\"Tasks\": \"0+1,2+3\"", text);
        Assert.DoesNotContain("\\u002B", text);
        // The fingerprint a run with these settings has carried since the first format (SettingsFormatTests).
        var stored = MerganOptions.FromJson(RunFolder.Open(run.Root).Settings);
        Assert.Equal("adf5b7b43c6559c1", RunSettings.Fingerprint(stored));
        Assert.Equal("adf5b7b43c6559c1", Checkpoint.FingerprintOf(JsonNode.Parse(text)!["settings"]!.AsObject()));
    }
}
