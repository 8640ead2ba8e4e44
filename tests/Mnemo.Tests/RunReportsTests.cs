using Mnemo.Continual;
using Mnemo.MemoryGan;
using Mnemo.Training;

namespace Mnemo.Tests;

/// <summary>How `mnemo report` tells which system wrote a run folder, and what it refuses.</summary>
public class RunReportsTests
{
    [Fact]
    public void AFolderNamesItsSystemAndAnOlderOneIsKnownByItsCheckpoint()
    {
        using var dir = new TempDir();
        RunFolder.Create(dir.File("new"), new MemoryGanOptions().ToJson(), kind: MemoryGanSystem.Kind);
        Assert.Equal("MemoryGAN", RunReports.Of(dir.File("new")).Name);

        var older = RunFolder.Create(dir.File("older"), new MerganOptions().ToJson());
        var e = Assert.Throws<MnemoException>(() => RunReports.Of(older.Root));
        Assert.Contains("has no checkpoint", e.Message);
        new Checkpoint(ContinualSystem.Kind, 5, "f").Save(Path.Combine(older.CheckpointsDir, "step-000000005.ckpt"));
        Assert.Equal("MeRGAN", RunReports.Of(older.Root).Name);

        RunFolder.Create(dir.File("other"), new MerganOptions().ToJson(), kind: "label-free");
        Assert.Contains("'label-free' run", Assert.Throws<MnemoException>(() => RunReports.Of(dir.File("other"))).Message);
        Assert.Contains("not a Mnemo run folder", Assert.Throws<MnemoException>(() => RunReports.Of(dir.File("missing"))).Message);
    }

    [Fact]
    public void RunsOfDifferentSystemsAreNotCompared()
    {
        using var dir = new TempDir();
        RunFolder.Create(dir.File("a"), new MemoryGanOptions().ToJson(), kind: MemoryGanSystem.Kind);
        RunFolder.Create(dir.File("b"), new MerganOptions().ToJson(), kind: ContinualSystem.Kind);
        var e = Assert.Throws<MnemoException>(() => RunReports.Compare([dir.File("a"), dir.File("b")], dir.File("out")));
        Assert.Contains("runs of one system", e.Message);
        Assert.Contains("(MeRGAN)", e.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
