using System.CommandLine;
using System.Text.Json.Nodes;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;
using static TorchSharp.torch;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo eval`: FID, KID, IS, precision/recall and t-SNE on datasets, .npz files or image folders.</summary>
public static class EvalCommands
{
    public static Command Build()
    {
        var eval = new Command("eval", "Evaluate generated images: fid, kid, is, pr (precision/recall), tsne");
        foreach (var metric in new[] { "fid", "kid", "is", "pr" }) eval.Subcommands.Add(MetricCommand(metric));
        eval.Subcommands.Add(TsneCommand());
        return eval;
    }

    static Option<string> FeaturesOption() => new("--features")
    {
        Description = "Feature network: classifier:DATASET (e.g. classifier:mnist), or inception:FILE (InceptionV3 weights, see docs/evaluation.md)",
        DefaultValueFactory = _ => "classifier:mnist",
    };

    static IFeatureExtractor OpenFeatures(string spec, string dataRoot, IProgressReporter progress)
    {
        if (spec.StartsWith("classifier:", StringComparison.Ordinal)) return ClassifierFeatures.ForDataset(spec["classifier:".Length..], dataRoot, progress);
        if (spec.StartsWith("inception:", StringComparison.Ordinal)) return InceptionFeatures.Load(spec["inception:".Length..]);
        throw new MnemoException($"unknown --features '{spec}'; use classifier:DATASET or inception:FILE");
    }

    static Command MetricCommand(string metric)
    {
        var real = new Option<string?>("--real") { Description = "Real images: a dataset name (its test split), an .npz or an image folder" };
        var fake = new Option<string>("--fake") { Description = "Generated images: an .npz from `mnemo sample` or an image folder", Required = true };
        var features = FeaturesOption();
        var output = new Option<string?>("--out") { Description = "Write the result as JSON to this file" };
        var splits = new Option<int>("--splits") { Description = "IS: number of splits", DefaultValueFactory = _ => 10 };
        var root = CommonOptions.DataRoot();
        var description = metric switch
        {
            "fid" => "Fréchet distance between feature Gaussians of real and generated images",
            "kid" => "Kernel distance (unbiased MMD², cubic kernel, 100 subsets of 1000)",
            "is" => "Inception Score of the generated images (mean ± std over splits)",
            _ => "Improved precision and recall (k = 3 nearest-neighbour manifolds)",
        };
        var command = new Command(metric, description) { real, fake, features, output, root };
        if (metric == "is") command.Options.Add(splits);
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            if (metric != "is" && r.GetValue(real) is null) throw new MnemoException($"{metric} needs --real");
            var dataRoot = CommonOptions.ResolveRoot(r.GetValue(root));
            ImageSource.Check(r.GetValue(fake)!);
            if (r.GetValue(real) is { } realToCheck) ImageSource.Check(realToCheck);
            var result = new JsonObject { ["metric"] = metric, ["features"] = r.GetValue(features), ["fake"] = r.GetValue(fake), ["real"] = r.GetValue(real) };
            Progress.Run(progress =>
            {
                using var extractor = OpenFeatures(r.GetValue(features)!, dataRoot, progress);
                var started = DateTime.UtcNow;
                var (fakeImages, _) = ImageSource.Load(r.GetValue(fake)!, extractor.Channels, extractor.ImageSize, dataRoot);
                var (fakeFeatures, fakeLogits) = extractor.Extract(fakeImages, progress);
                result["fake_count"] = fakeFeatures.GetLength(0);
                if (metric == "is")
                {
                    // Splits are consecutive; files from `mnemo sample` are sorted by class, so shuffle first (seed 0).
                    var (mean, std) = InceptionScore.FromLogits(ShuffleRows(fakeLogits, new Random(0)), r.GetValue(splits));
                    result["value"] = mean; result["std"] = std;
                }
                else
                {
                    var realSpec = r.GetValue(real)!;
                    double[,]? realFeatures = null;
                    double[,] RealFeatures()
                    {
                        if (realFeatures is not null) return realFeatures;
                        var (realImages, _) = ImageSource.Load(realSpec, extractor.Channels, extractor.ImageSize, dataRoot);
                        using (realImages) realFeatures = extractor.Extract(realImages, progress).Features;
                        return realFeatures;
                    }
                    switch (metric)
                    {
                        case "fid":
                            var realStats = File.Exists(realSpec) || Directory.Exists(realSpec)
                                ? GaussianStatistics.FromFeatures(RealFeatures())
                                : StatisticsCache.GetOrCompute(dataRoot, $"{extractor.Name}-{realSpec}", () => GaussianStatistics.FromFeatures(RealFeatures()));
                            result["value"] = FrechetDistance.Compute(realStats, GaussianStatistics.FromFeatures(fakeFeatures));
                            break;
                        case "kid":
                            var (kid, kidStd) = KernelInceptionDistance.Compute(RealFeatures(), fakeFeatures);
                            result["value"] = kid; result["std"] = kidStd;
                            break;
                        default:
                            var (precision, recall) = PrecisionRecall.Compute(RealFeatures(), fakeFeatures);
                            result["precision"] = precision; result["recall"] = recall;
                            break;
                    }
                }
                fakeImages.Dispose();
                result["seconds"] = (DateTime.UtcNow - started).TotalSeconds;
            });
            Console.WriteLine(metric == "pr"
                ? $"precision {(double)result["precision"]!:0.0000}  recall {(double)result["recall"]!:0.0000}"
                : $"{metric.ToUpperInvariant()} {(double)result["value"]!:0.0000}" + (result["std"] is { } s ? $" ± {(double)s:0.0000}" : ""));
            if (r.GetValue(output) is { } path)
            {
                AtomicFile.WriteAllText(path, result.ToJsonString(RunFolder.Json));
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        }));
        return command;
    }

    static Command TsneCommand()
    {
        var real = new Option<string>("--real") { Description = "Real images (dataset name, .npz or folder)", DefaultValueFactory = _ => "mnist" };
        var fake = new Option<string[]>("--fake") { Description = "One or more generated sets (.npz or folder); each gets its own colour", Required = true, AllowMultipleArgumentsPerToken = true };
        var classes = new Option<string?>("--classes") { Description = "Only these classes, e.g. 0 (the MeRGAN post's figure)" };
        var n = new Option<int>("--n") { Description = "Points per set", DefaultValueFactory = _ => 500 };
        var features = FeaturesOption();
        var output = new Option<string>("--out") { Description = "PNG file for the scatter plot", DefaultValueFactory = _ => "tsne.png" };
        var seed = CommonOptions.Seed();
        var root = CommonOptions.DataRoot();
        var command = new Command("tsne", "t-SNE of feature-network features of real vs generated images, as a scatter plot")
            { real, fake, classes, n, features, output, seed, root };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            var dataRoot = CommonOptions.ResolveRoot(r.GetValue(root));
            var keep = r.GetValue(classes) is { } c ? CommonOptions.ParseClassList(c).Select(x => (long)x).ToHashSet() : null;
            foreach (var spec in r.GetValue(fake)!.Append(r.GetValue(real)!)) ImageSource.Check(spec);
            Progress.Run(progress =>
            {
                using var extractor = OpenFeatures(r.GetValue(features)!, dataRoot, progress);
                var sets = new List<(string Name, double[,] Features)>();
                foreach (var (name, spec) in new[] { ("real", r.GetValue(real)!) }.Concat(r.GetValue(fake)!.Select(f => (Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(f)), f))))
                {
                    var (images, labels) = ImageSource.Load(spec, extractor.Channels, extractor.ImageSize, dataRoot);
                    var rng = new Random(r.GetValue(seed));
                    var idx = Enumerable.Range(0, labels.Length).Where(i => keep is null || keep.Contains(labels[i])).OrderBy(_ => rng.Next()).Take(r.GetValue(n)).Select(i => (long)i).ToArray();
                    if (idx.Length == 0) throw new MnemoException($"{spec} has no images of the requested classes");
                    using (images)
                    using (var chosen = images.index_select(0, tensor(idx)))
                        sets.Add((name, extractor.Extract(chosen).Features));
                }
                var all = Stack(sets.Select(s => s.Features).ToList());
                progress.Start("t-SNE", 750);
                var y = Tsne.Embed(all, seed: r.GetValue(seed), progress: i => progress.Report(i));
                int offset = 0;
                var groups = new List<(string, double[], double[])>();
                foreach (var (name, f) in sets)
                {
                    int count = f.GetLength(0);
                    groups.Add((name, Enumerable.Range(offset, count).Select(i => y[i, 0]).ToArray(), Enumerable.Range(offset, count).Select(i => y[i, 1]).ToArray()));
                    offset += count;
                }
                Plots.Scatter(r.GetValue(output)!, $"t-SNE of {extractor.Name} features" + (keep is null ? "" : $", classes {r.GetValue(classes)}"), groups);
                progress.Message($"wrote {r.GetValue(output)}");
            });
            return 0;
        }));
        return command;
    }

    static double[,] ShuffleRows(double[,] x, Random rng)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var order = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var result = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) result[i, j] = x[order[i], j];
        return result;
    }

    static double[,] Stack(IReadOnlyList<double[,]> parts)
    {
        int rows = parts.Sum(p => p.GetLength(0)), cols = parts[0].GetLength(1), at = 0;
        var result = new double[rows, cols];
        foreach (var p in parts)
        {
            for (int i = 0; i < p.GetLength(0); i++)
                for (int j = 0; j < cols; j++) result[at + i, j] = p[i, j];
            at += p.GetLength(0);
        }
        return result;
    }
}
