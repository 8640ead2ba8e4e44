using Mnemo.Data;
using Mnemo.Visualization;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>What <see cref="GeneratedSampleFile.Write"/> wrote: <paramref name="Count"/> samples, 2-D points or images.</summary>
public sealed record WrittenSamples(int Count, bool Points)
{
    /// <summary>"points" or "images", for messages.</summary>
    public string Noun => Points ? "points" : "images";
}

/// <summary>
/// Writes generated samples with the id each was generated for (a class, a cluster, a memory slot: the samples'
/// <see cref="GeneratedSamples.Conditions"/>), so that any outside tool can re-score them: an .npz with
/// <c>images</c> (uint8 N×H×W×C) or <c>points</c> (float32 N×2) and the ids (int64 N) under the array name given,
/// or for images a folder with one sub-folder of PNGs per id (<c>ID/00000.png</c>, …).
/// </summary>
public static class GeneratedSampleFile
{
    /// <summary>True when <paramref name="output"/> names an .npz file (else a folder of PNGs).</summary>
    public static bool IsNpz(string output) => output.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);

    /// <param name="samples">N×C×H×W images in [-1, 1] or N×2 points, with N conditions (a negative id: none, PNG
    /// folder "none").</param>
    /// <param name="idName">The ids' array name in the .npz ("labels", "clusters", "slots").</param>
    /// <exception cref="MnemoException">Points to a PNG folder, or ids and samples of different lengths.</exception>
    public static WrittenSamples Write(string output, GeneratedSamples samples, string idName)
    {
        var values = samples.Values;
        var ids = samples.Conditions.ToArray();
        long n = values.shape[0];
        if (ids.Length != n) throw new MnemoException($"{ids.Length} ids for {n} samples");
        bool points = values.dim() == 2;
        if (IsNpz(output))
        {
            var data = points
                ? NpyArray.FromFloat32(values.to_type(ScalarType.Float32).contiguous().data<float>().ToArray(), n, values.shape[1])
                : Images(values);
            Npz.Write(output, new Dictionary<string, NpyArray> { [points ? "points" : "images"] = data, [idName] = NpyArray.FromInt64(ids, n) });
            return new((int)n, points);
        }
        if (points) throw new MnemoException($"{output}: 2-D points are written as an .npz (points float32 N×2); give a file name ending in .npz");
        Directory.CreateDirectory(output);
        var written = new Dictionary<long, int>();
        for (int i = 0; i < n; i++)
        {
            var dir = Path.Combine(output, ids[i] < 0 ? "none" : ids[i].ToString());
            if (!written.TryGetValue(ids[i], out int count)) Directory.CreateDirectory(dir);
            written[ids[i]] = count + 1;
            using var image = values.narrow(0, i, 1);
            ImageGrid.SavePng(image, 1, Path.Combine(dir, $"{count:D5}.png"), padding: 0);
        }
        return new((int)n, false);
    }

    static NpyArray Images(Tensor samples)
    {
        using var bytes = ImageDataset.ToBytes(samples);
        using var hwc = bytes.permute(0, 2, 3, 1).contiguous();
        return NpyArray.FromBytes(hwc.data<byte>().ToArray(), samples.shape[0], samples.shape[2], samples.shape[3], samples.shape[1]);
    }
}
