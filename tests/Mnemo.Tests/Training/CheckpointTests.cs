using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Tests.Training;

[Trait("Category", TestTraits.KernelSensitive)]
public class CheckpointTests
{
    [Fact]
    public void RoundTripsModuleOptimizerAndRng()
    {
        using var dir = new TempDir();
        random.manual_seed(5);
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.Adam(model.parameters(), 0.1);
        optimizer.zero_grad();
        model.forward(ones(4, 3)).sum().backward();
        optimizer.step();
        var checkpoint = new Checkpoint("test", 7, "abc");
        checkpoint.AddModule("m", model);
        checkpoint.AddOptimizer("o", optimizer);
        checkpoint.AddRngState();
        using var expectedNoise = randn(3);
        checkpoint.Save(dir.File("c.ckpt"));

        var loaded = Checkpoint.Load(dir.File("c.ckpt"));
        Assert.Equal(7, loaded.Step);
        using var copy = nn.Linear(3, 2);
        loaded.LoadModule("m", copy);
        Assert.True(copy.weight!.allclose(model.weight!, 0, 0));
        loaded.RestoreRngState();
        using var noise = randn(3);
        Assert.True(noise.allclose(expectedNoise, 0, 0));
        using var optimizer2 = optim.Adam(copy.parameters(), 0.1);
        loaded.LoadOptimizer("o", optimizer2);
    }

    [Fact]
    public void CorruptOrTruncatedCheckpointIsDetected()
    {
        using var dir = new TempDir();
        using var model = nn.Linear(3, 2);
        var checkpoint = new Checkpoint("test", 1, "abc");
        checkpoint.AddModule("m", model);
        checkpoint.Save(dir.File("c.ckpt"));
        var bytes = File.ReadAllBytes(dir.File("c.ckpt"));
        File.WriteAllBytes(dir.File("t.ckpt"), bytes[..^40]);
        Assert.Contains("truncated or corrupt", Assert.Throws<MnemoException>(() => Checkpoint.Load(dir.File("t.ckpt"))).Message);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(dir.File("x.ckpt"), bytes);
        Assert.Throws<MnemoException>(() => Checkpoint.Load(dir.File("x.ckpt")));
        File.WriteAllText(dir.File("n.ckpt"), "hello");
        Assert.Contains("not a Mnemo checkpoint", Assert.Throws<MnemoException>(() => Checkpoint.Load(dir.File("n.ckpt"))).Message);
    }

    [Fact]
    public void CheckpointFromAnotherModelIsRejectedClearly()
    {
        using var model = nn.Linear(3, 2);
        var checkpoint = new Checkpoint("test", 1, "abc");
        checkpoint.AddModule("m", model);
        using var other = nn.Linear(5, 2);
        Assert.Contains("does not fit", Assert.Throws<MnemoException>(() => checkpoint.LoadModule("m", other)).Message);
        Assert.Contains("no section", Assert.Throws<MnemoException>(() => checkpoint.LoadModule("missing", other)).Message);
    }

    [Fact]
    public void StoreKeepsNewestAndSkipsCorruptOnes()
    {
        using var dir = new TempDir();
        var warnings = new List<string>();
        var store = new CheckpointStore(dir.Path, keep: 2, warn: warnings.Add);
        for (int step = 1; step <= 3; step++) store.Save(new Checkpoint("k", step, "f"));
        Assert.Equal(2, Directory.GetFiles(dir.Path, "*.ckpt").Length);
        File.WriteAllText(store.PathFor(3), "garbage");
        Assert.Equal(2, store.LoadLatest("k", "f")!.Step);
        Assert.Single(warnings);
        Assert.Contains("different settings", Assert.Throws<MnemoException>(() => store.LoadLatest("k", "other")).Message);
        Assert.Contains("'k' checkpoint", Assert.Throws<MnemoException>(() => store.LoadLatest("j", "f")).Message);
    }

    /// <summary>Module sections keep the byte format of TorchSharp's Module.save (so checkpoints of earlier runs load),
    /// although they are now written from host copies of each tensor.</summary>
    [Fact]
    public void ModuleSectionsHaveTheBytesOfModuleSave()
    {
        random.manual_seed(2);
        using var model = nn.Sequential(("conv", nn.Conv2d(1, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("fc", nn.Linear(4, 3)));
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) model.save(w);
        var checkpoint = new Checkpoint("test", 1, "f");
        checkpoint.AddModule("m", model);
        Assert.Equal(ms.ToArray(), checkpoint.Sections["module:m"]);

        // And a section written by Module.save (an earlier run's) loads through the device-mapping path.
        checkpoint.Sections["module:old"] = ms.ToArray();
        random.manual_seed(3);
        using var copy = nn.Sequential(("conv", nn.Conv2d(1, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("fc", nn.Linear(4, 3)));
        checkpoint.LoadModule("old", copy);
        foreach (var ((name, a), (_, b)) in model.state_dict().Zip(copy.state_dict()))
            Assert.True(a.allclose(b, 0, 0), name);
    }

    /// <summary>The resume path of every run: weights, optimizer state and stored tensors are read as host tensors and
    /// copied onto the device of the model they restore (here the CPU), written from a model on the same or another
    /// device; the loaded tensors keep their identity (optimizers hold references to them).</summary>
    [Fact]
    public void ACheckpointLoadsOntoTheModelsDeviceThroughTheMappingPath()
    {
        using var dir = new TempDir();
        random.manual_seed(4);
        using var model = nn.Linear(3, 2);
        using var anchor = randn(5);
        var checkpoint = new Checkpoint("test", 2, "f");
        checkpoint.AddModule("m", model);
        checkpoint.AddTensor("anchor", anchor);
        checkpoint.Save(dir.File("c.ckpt"));

        var loaded = Checkpoint.Load(dir.File("c.ckpt"));
        var device = ComputeDevice.Resolve("cpu");
        using var target = nn.Linear(3, 2);
        target.to(device.Device);
        var weight = target.weight!;
        loaded.LoadModule("m", target);
        Assert.Same(weight, target.weight);
        Assert.Equal(DeviceType.CPU, target.weight!.device_type);
        Assert.True(target.weight.allclose(model.weight!, 0, 0));
        using var restored = loaded.LoadTensor("anchor", device.Device);
        Assert.Equal(DeviceType.CPU, restored.device_type);
        Assert.True(restored.allclose(anchor, 0, 0));

        // A section of another shape or dtype is refused with the tensor's name.
        using var wide = nn.Linear(4, 2);
        Assert.Contains("'weight' is stored as [2,3], the model's is [2,4]", Assert.Throws<MnemoException>(() => loaded.LoadModule("m", wide)).Message);
        using var half = nn.Linear(3, 2);
        half.to(ScalarType.Float64);
        Assert.Contains("Float32", Assert.Throws<MnemoException>(() => loaded.LoadModule("m", half)).Message);
    }

    [Fact]
    public void AtomicWriteLeavesOldContentWhenWriterFails()
    {
        using var dir = new TempDir();
        AtomicFile.WriteAllText(dir.File("a.txt"), "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(dir.File("a.txt"), s => { s.WriteByte(1); throw new InvalidOperationException(); }));
        Assert.Equal("old", File.ReadAllText(dir.File("a.txt")));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
