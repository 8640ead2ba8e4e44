using Mnemo.Data;
using Mnemo.Evaluation;
using static TorchSharp.torch;

namespace Mnemo.Tests.Evaluation;

public class GeneratedSampleFileTests
{
    // The samples stay the test's: GeneratedSamples would dispose them.
    static GeneratedSamples Samples(Tensor values, params long[] ids) => new(values.alias(), ids);

    [Fact]
    public void ImagesRoundTripAsHwcBytesWithTheirIds()
    {
        using var dir = new TempDir();
        using var images = linspace(-1, 1, 4 * 3 * 2 * 5).reshape(4, 3, 2, 5); // N×C×H×W
        Assert.Equal(new WrittenSamples(4, false), GeneratedSampleFile.Write(dir.File("a.npz"), Samples(images, 7, 7, 2, -1), "clusters"));
        var npz = Npz.Read(dir.File("a.npz"));
        Assert.Equal(new long[] { 4, 2, 5, 3 }, npz["images"].Shape);
        using var expected = ImageDataset.ToBytes(images).permute(0, 2, 3, 1).contiguous();
        Assert.Equal(expected.data<byte>().ToArray(), npz["images"].Data);
        Assert.Equal(new long[] { 7, 7, 2, -1 }, npz["clusters"].ToInt64());

        GeneratedSampleFile.Write(dir.File("pngs"), Samples(images, 7, 7, 2, -1), "clusters");
        Assert.Equal(new[] { "2", "7", "none" }, Directory.GetDirectories(dir.File("pngs")).Select(Path.GetFileName).Order().ToArray());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir.File("pngs"), "7"), "*.png").Length);
    }

    [Fact]
    public void PointsRoundTripAsFloat32AndRefuseAFolder()
    {
        using var dir = new TempDir();
        var values = new[] { 0.5f, -2f, 1e-3f, 3.25f, -0.125f, 7f };
        using var points = tensor(values).reshape(3, 2);
        Assert.Equal(new WrittenSamples(3, true), GeneratedSampleFile.Write(dir.File("p.npz"), Samples(points, 0, 1, 1), "clusters"));
        var npz = Npz.Read(dir.File("p.npz"));
        Assert.Equal(new long[] { 3, 2 }, npz["points"].Shape);
        Assert.Equal(values, npz["points"].ToFloat32());
        Assert.False(npz.ContainsKey("images"));
        Assert.Throws<MnemoException>(() => GeneratedSampleFile.Write(dir.File("dir"), Samples(points, 0, 1, 1), "clusters"));
        Assert.Throws<MnemoException>(() => GeneratedSampleFile.Write(dir.File("q.npz"), Samples(points, 0, 1), "clusters"));
    }
}
