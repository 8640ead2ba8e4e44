using Mnemo.Evaluation;
using Mnemo.Interop;
using static TorchSharp.torch;

namespace Mnemo.Tests.Interop;

/// <summary>State dicts written by Python's torch.save and by PyBridge, detected by content, and the one-line
/// error for a file with other names or shapes.</summary>
public class StateDictFileTests
{
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", "Fixtures", name);

    [Theory]
    [InlineData("tiny-pytorch-fid-names.pth", WeightsFormat.PyTorchZip)]
    [InlineData("tiny-pytorch-fid-names-legacy.pth", WeightsFormat.PyTorchLegacy)]
    public void ReadsAFileWrittenByPythonsTorchSave(string file, WeightsFormat format)
    {
        var path = Fixture(file);
        Assert.Equal(format, WeightsFormats.Detect(path));
        var state = StateDictFile.Read(path);
        Assert.Equal(new[] { "Conv2d_1a_3x3.conv.weight", "Conv2d_1a_3x3.bn.running_var", "Conv2d_1a_3x3.bn.num_batches_tracked", "fc.weight", "fc.bias" }.Order(),
            state.Keys.Order());
        var conv = state["Conv2d_1a_3x3.conv.weight"];
        Assert.Equal(new long[] { 32, 3, 3, 3 }, conv.shape);
        Assert.Equal(863f, conv[31, 2, 2, 2].item<float>());
        Assert.Equal(5f, state["fc.weight"][1, 2].item<float>());
        Assert.Equal(ScalarType.Float64, state["fc.bias"].dtype);
        Assert.Equal(1.5, state["fc.bias"][1].item<double>());
        Assert.Equal(ScalarType.Int64, state["Conv2d_1a_3x3.bn.num_batches_tracked"].dtype);
    }

    [Theory]
    [InlineData("tiny-pytorch-fid-names.pth")]
    [InlineData("tiny-pytorch-fid-names-legacy.pth")]
    public void InceptionRefusesAStateDictWithOtherNamesOrShapesInOneLine(string file)
    {
        var e = Assert.Throws<MnemoException>(() => InceptionFeatures.Load(Fixture(file)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("does not hold FID InceptionV3 weights", e.Message);
        Assert.Contains("parameters missing (e.g. Conv2d_1a_3x3.bn.weight)", e.Message);
        Assert.Contains("fc.weight: file [2, 3], expected [1008, 2048]", e.Message);
    }

    [Fact]
    public void FormatsAreToldApartByContentNotName()
    {
        using var dir = new TempDir();
        var state = new Dictionary<string, Tensor> { ["a.weight"] = arange(6f).reshape(2, 3), ["b"] = tensor(new long[] { 4, 5 }) };
        StateDictFile.Write(dir.File("x.safetensors"), state);
        StateDictFile.Write(dir.File("x.pt"), state);
        File.Move(dir.File("x.safetensors"), dir.File("one.bin"));
        File.Move(dir.File("x.pt"), dir.File("two.bin"));
        Assert.Equal(WeightsFormat.Safetensors, WeightsFormats.Detect(dir.File("one.bin")));
        Assert.Equal(WeightsFormat.PyTorchZip, WeightsFormats.Detect(dir.File("two.bin")));
        foreach (var file in new[] { "one.bin", "two.bin" })
        {
            var back = StateDictFile.Read(dir.File(file));
            Assert.Equal(new long[] { 2, 3 }, back["a.weight"].shape);
            Assert.Equal(state["a.weight"].data<float>().ToArray(), back["a.weight"].data<float>().ToArray());
            Assert.Equal(new long[] { 4, 5 }, back["b"].data<long>().ToArray());
        }

        File.WriteAllBytes(dir.File("legacy.pth"), [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        var e = Assert.Throws<MnemoException>(() => StateDictFile.Read(dir.File("legacy.pth"))); // the magic number, then nothing
        Assert.Contains("pre-1.6 format) but cannot be read", e.Message);
        File.WriteAllBytes(dir.File("torn.pt"), File.ReadAllBytes(dir.File("two.bin"))[..100]);
        Assert.Contains("cannot be read", Assert.Throws<MnemoException>(() => StateDictFile.Read(dir.File("torn.pt"))).Message);
    }
}
