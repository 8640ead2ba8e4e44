using Mnemo.Evaluation;
using Mnemo.Interop;
using Mnemo.Networks;
using static TorchSharp.torch;

namespace Mnemo.Tests.Networks;

[Trait("Category", TestTraits.KernelSensitive)]
public class InceptionTests
{
    [Fact]
    public void FidInceptionHasReferenceShapesIsDeterministicAndReloads()
    {
        using var dir = new TempDir();
        random.manual_seed(7);
        using var net = new FidInceptionV3();
        net.eval();
        using var images = rand(2, 3, 32, 32).mul(2).sub(1);
        using var _ = no_grad();
        var (f1, l1) = net.forward(images);
        var (f2, _) = net.forward(images);
        Assert.Equal(new long[] { 2, 2048 }, f1.shape);
        Assert.Equal(new long[] { 2, 1008 }, l1.shape);
        Assert.True(f1.allclose(f2, 0, 0));
        Assert.Contains(net.named_parameters(), p => p.name == "Mixed_7c.branch3x3dbl_3b.conv.weight");
        net.save(dir.File("w.dat"));
        using var extractor = InceptionFeatures.Load(dir.File("w.dat"));
        var (features, _) = extractor.Extract(images);
        Assert.Equal(f1[0, 5].item<float>(), features[0, 5], 4);
        // The same weights as a PyTorch state dict and as safetensors, under names that say nothing of the format.
        var state = net.state_dict();
        StateDictFile.Write(dir.File("w.pt"), state);
        StateDictFile.Write(dir.File("w.safetensors"), state);
        File.Move(dir.File("w.pt"), dir.File("pytorch.weights"));
        File.Move(dir.File("w.safetensors"), dir.File("safetensors.weights"));
        foreach (var file in new[] { "pytorch.weights", "safetensors.weights" })
        {
            using var loaded = InceptionFeatures.Load(dir.File(file));
            Assert.Equal(extractor.WeightsSha256, loaded.WeightsSha256);
        }
        Assert.Contains("not found", Assert.Throws<MnemoException>(() => InceptionFeatures.Load(dir.File("none.dat"))).Message);
        File.WriteAllText(dir.File("bad.dat"), "xx");
        Assert.Throws<MnemoException>(() => InceptionFeatures.Load(dir.File("bad.dat")));
    }
}
