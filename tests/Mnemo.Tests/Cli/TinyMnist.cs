using Mnemo.Data;
using Mnemo.Data.Readers;
using Mnemo.Evaluation;
using static TorchSharp.torch;

namespace Mnemo.Tests.Cli;

/// <summary>A data folder whose "mnist" is the synthetic squares (28×28, a few classes), marked as fetched, with a
/// cached evaluation classifier: the real CLI runs on it in seconds.</summary>
public static class TinyMnist
{
    public static string Create(string root, int classes = 2, int perClass = 40)
    {
        var dir = DatasetFetcher.DatasetFolder(root, "mnist");
        Directory.CreateDirectory(dir);
        foreach (var (prefix, count, seed) in new[] { ("train", perClass, 1), ("t10k", perClass / 4, 101) })
        {
            using var squares = SyntheticData.Squares(classes, count, seed);
            using var cropped = squares.Pixels.narrow(2, 0, 28).narrow(3, 0, 28).contiguous();
            IdxReader.WriteImages(Path.Combine(dir, $"{prefix}-images-idx3-ubyte"), cropped.data<byte>().ToArray(), (int)cropped.shape[0], 28, 28);
            IdxReader.WriteLabels(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"), squares.Labels.Select(l => (byte)l).ToArray());
        }
        File.WriteAllText(Path.Combine(dir, ".complete"), "");
        using var data = DatasetCatalog.Load("mnist", root);
        EvaluationClassifier.LoadOrTrain(root, "mnist", data, trainSteps: 40).Dispose();
        return root;
    }
}
