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

    /// <summary>The settings of one metric run, as the user gave them (checked before anything is loaded).</summary>
    sealed record MetricSettings(string Metric, string? Real, string Fake, string Features, int Splits, int KidSubsetSize, int KidSubsets, int K, ComputeDevice Device);

    static Command MetricCommand(string metric)
    {
        var real = new Option<string?>("--real") { Description = "Real images: a dataset name (its test split), an .npz or an image folder" };
        var fake = new Option<string>("--fake") { Description = "Generated images: an .npz from `mnemo sample` or an image folder", Required = true };
        var features = FeaturesOption();
        var output = new Option<string?>("--out") { Description = "Write the result as JSON to this file" };
        var splits = new Option<int>("--splits") { Description = "IS: number of splits (at most the number of images)", DefaultValueFactory = _ => 10 };
        var kidSubsetSize = new Option<int>("--kid-subset-size") { Description = "KID: images per subset (torch-fidelity's kid_subset_size; at most the smaller set)", DefaultValueFactory = _ => KernelInceptionDistance.DefaultSubsetSize };
        var kidSubsets = new Option<int>("--kid-subsets") { Description = "KID: number of subsets (torch-fidelity's kid_subsets)", DefaultValueFactory = _ => KernelInceptionDistance.DefaultSubsets };
        var root = CommonOptions.DataRoot();
        var device = CommonOptions.Device();
        var description = metric switch
        {
            "fid" => "Fréchet distance between feature Gaussians of real and generated images",
            "kid" => "Kernel distance (unbiased MMD², cubic kernel, 100 subsets of 1000 by default)",
            "is" => "Inception Score of the generated images (mean ± std over splits)",
            _ => $"Improved precision and recall (k = {PrecisionK} nearest-neighbour manifolds)",
        };
        var command = new Command(metric, description) { real, fake, features, output, device, root };
        if (metric == "is") command.Options.Add(splits);
        if (metric == "kid") { command.Options.Add(kidSubsetSize); command.Options.Add(kidSubsets); }
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            var settings = new MetricSettings(metric, r.GetValue(real), r.GetValue(fake)!, r.GetValue(features)!,
                r.GetValue(splits), r.GetValue(kidSubsetSize), r.GetValue(kidSubsets), PrecisionK, ComputeDevice.Resolve(r.GetValue(device)));
            CheckSettings(settings);
            var dataRoot = CommonOptions.ResolveRoot(r.GetValue(root));
            ImageSource.Check(settings.Fake);
            if (settings.Real is { } realToCheck) ImageSource.Check(realToCheck);
            JsonObject result = new();
            Progress.Run(progress => result = RunMetric(settings, dataRoot, progress));
            foreach (var warning in result["warnings"]!.AsArray()) Console.Error.WriteLine($"warning: {warning}");
            Console.WriteLine(Summary(result));
            if (r.GetValue(output) is { } path)
            {
                AtomicFile.WriteAllText(path, result.ToJsonString(RunFolder.Json));
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Precision/recall's k (Kynkäänniemi et al.'s default); fixed, and written to the JSON.</summary>
    const int PrecisionK = 3;

    static void CheckSettings(MetricSettings s)
    {
        if (s.Metric != "is" && s.Real is null) throw new MnemoException($"{s.Metric} needs --real");
        if (s.Metric == "is" && s.Splits < 1) throw new MnemoException($"--splits must be at least 1 (the Inception Score is averaged over that many parts of the images), got {s.Splits}");
        if (s.Metric == "kid" && s.KidSubsetSize < 2) throw new MnemoException($"--kid-subset-size must be at least 2 (the unbiased MMD² needs pairs), got {s.KidSubsetSize}");
        if (s.Metric == "kid" && s.KidSubsets < 1) throw new MnemoException($"--kid-subsets must be at least 1, got {s.KidSubsets}");
    }

    /// <summary>Loads both sides, extracts features and computes the metric. The JSON holds the inputs, the number of
    /// images used from each side, every setting the metric used and any warnings.</summary>
    static JsonObject RunMetric(MetricSettings s, string dataRoot, IProgressReporter progress)
    {
        var result = new JsonObject { ["metric"] = s.Metric, ["features"] = s.Features, ["fake"] = s.Fake, ["real"] = s.Real, ["device"] = s.Device.Name };
        var warnings = new JsonArray();
        using var extractor = OpenFeatures(s.Features, dataRoot, progress);
        extractor.MoveTo(s.Device.Device);
        var started = DateTime.UtcNow;
        using var fakeImages = LoadSide("fake", s.Fake, extractor, dataRoot, result, progress);
        if (s.Metric == "is")
        {
            if (fakeImages.Count < s.Splits)
                throw new MnemoException($"--splits {s.Splits} needs at least {s.Splits} images; {s.Fake} has {fakeImages.Count}");
            var (_, fakeLogits) = extractor.Extract(fakeImages.Images, progress);
            // Splits are consecutive; files from `mnemo sample` are sorted by class, so shuffle first (seed 0).
            var (mean, std) = InceptionScore.FromLogits(ShuffleRows(fakeLogits, new Random(0)), s.Splits);
            result["value"] = mean; result["std"] = std; result["splits"] = s.Splits;
        }
        else
        {
            // Refused before any feature is extracted (the real side is checked once it is loaded).
            if (s.Metric == "kid") KernelInceptionDistance.CheckSettings(int.MaxValue, (int)fakeImages.Count, s.KidSubsets, s.KidSubsetSize);
            var fakeFeatures = extractor.Extract(fakeImages.Images, progress).Features;
            ComputeAgainstReal(s, extractor, fakeFeatures, dataRoot, result, warnings, progress);
        }
        result["warnings"] = warnings;
        result["seconds"] = (DateTime.UtcNow - started).TotalSeconds;
        return result;
    }

    static void ComputeAgainstReal(MetricSettings s, IFeatureExtractor extractor, double[,] fakeFeatures, string dataRoot, JsonObject result, JsonArray warnings, IProgressReporter progress)
    {
        var realSpec = s.Real!;
        double[,] RealFeatures()
        {
            using var images = LoadSide("real", realSpec, extractor, dataRoot, result, progress);
            if (s.Metric == "kid")
                KernelInceptionDistance.CheckSettings((int)images.Count, fakeFeatures.GetLength(0), s.KidSubsets, s.KidSubsetSize);
            return extractor.Extract(images.Images, progress).Features;
        }
        switch (s.Metric)
        {
            case "fid":
                // Only named datasets are cached: files and folders (folder:PATH too) can change under the same name.
                var realStats = File.Exists(realSpec) || Directory.Exists(realSpec) || realSpec.StartsWith("folder:", StringComparison.Ordinal)
                    ? GaussianStatistics.FromFeatures(RealFeatures())
                    : StatisticsCache.GetOrCompute(dataRoot, new StatisticsKey(extractor.Name, extractor.WeightsSha256, realSpec), () => GaussianStatistics.FromFeatures(RealFeatures()));
                result["real_count"] = (long)realStats.Count;
                var fakeStats = GaussianStatistics.FromFeatures(fakeFeatures);
                int dims = fakeStats.Mean.Count;
                foreach (var (side, count) in new[] { ("real", realStats.Count), ("fake", fakeStats.Count) })
                    if (count < dims)
                        warnings.Add($"the {side} side has {count} images, fewer than the {dims} feature dimensions: its covariance is singular and the FID is biased (use at least {dims} images; 10,000 or more for numbers comparable with papers)");
                result["value"] = FrechetDistance.Compute(realStats, fakeStats);
                break;
            case "kid":
                var (kid, kidStd) = KernelInceptionDistance.Compute(RealFeatures(), fakeFeatures, s.KidSubsets, s.KidSubsetSize);
                result["value"] = kid; result["std"] = kidStd;
                result["kid_subset_size"] = s.KidSubsetSize; result["kid_subsets"] = s.KidSubsets;
                break;
            default:
                var (precision, recall) = PrecisionRecall.Compute(RealFeatures(), fakeFeatures, s.K);
                result["precision"] = precision; result["recall"] = recall; result["k"] = s.K;
                break;
        }
    }

    /// <summary>Loads one side and records its image count and skipped files in the result.</summary>
    static EvalImages LoadSide(string side, string spec, IFeatureExtractor extractor, string dataRoot, JsonObject result, IProgressReporter progress)
    {
        var images = ImageSource.Load(spec, extractor.ImageSize, dataRoot);
        result[$"{side}_count"] = images.Count;
        result[$"{side}_skipped_files"] = images.SkippedFiles;
        if (images.SkippedFiles > 0) progress.Message($"{spec}: skipped {images.SkippedFiles} non-image files or folders");
        return images;
    }

    /// <summary>The printed line: the value, the settings the metric used and the images used from each side.</summary>
    static string Summary(JsonObject r)
    {
        string metric = (string)r["metric"]!;
        string value = metric == "pr"
            ? $"precision {(double)r["precision"]!:0.0000}  recall {(double)r["recall"]!:0.0000}  (k = {(int)r["k"]!})"
            : $"{metric.ToUpperInvariant()} {(double)r["value"]!:0.0000}" + (r["std"] is { } sd ? $" ± {(double)sd:0.0000}" : "");
        if (metric == "kid") value += $"  ({(int)r["kid_subsets"]!} subsets of {(int)r["kid_subset_size"]!})";
        if (metric == "is") value += $"  ({(int)r["splits"]!} splits)";
        string counts = r["real_count"] is { } rc ? $"real {(long)rc} images, fake {(long)r["fake_count"]!} images" : $"fake {(long)r["fake_count"]!} images";
        return $"{value}  [{counts}]";
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
        var device = CommonOptions.Device();
        var command = new Command("tsne", "t-SNE of feature-network features of real vs generated images, as a scatter plot")
            { real, fake, classes, n, features, output, seed, device, root };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            var dataRoot = CommonOptions.ResolveRoot(r.GetValue(root));
            var keep = r.GetValue(classes) is { } c ? CommonOptions.ParseClassList(c).Select(x => (long)x).ToHashSet() : null;
            foreach (var spec in r.GetValue(fake)!.Append(r.GetValue(real)!)) ImageSource.Check(spec);
            var compute = ComputeDevice.Resolve(r.GetValue(device));
            Progress.Run(progress =>
            {
                using var extractor = OpenFeatures(r.GetValue(features)!, dataRoot, progress);
                extractor.MoveTo(compute.Device);
                var sets = new List<(string Name, double[,] Features)>();
                foreach (var (name, spec) in new[] { ("real", r.GetValue(real)!) }.Concat(r.GetValue(fake)!.Select(f => (Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(f)), f))))
                {
                    using var loaded = ImageSource.Load(spec, extractor.ImageSize, dataRoot);
                    var (images, labels) = (loaded.Images, loaded.Labels);
                    var rng = new Random(r.GetValue(seed));
                    var idx = Enumerable.Range(0, labels.Length).Where(i => keep is null || keep.Contains(labels[i])).OrderBy(_ => rng.Next()).Take(r.GetValue(n)).Select(i => (long)i).ToArray();
                    if (idx.Length == 0) throw new MnemoException($"{spec} has no images of the requested classes");
                    using (var chosen = images.index_select(0, tensor(idx)))
                        sets.Add((name, extractor.Extract(chosen).Features));
                }
                var all = Stack(sets.Select(s => s.Features).ToList());
                foreach (var (name, f) in sets) progress.Message($"{name}: {f.GetLength(0)} images");
                double perplexity = Tsne.EffectivePerplexity(all.GetLength(0), TsnePerplexity);
                if (perplexity != TsnePerplexity)
                    progress.Message($"t-SNE perplexity lowered from {TsnePerplexity} to {perplexity:0.##}: {all.GetLength(0)} points allow at most (n − 1) / 3");
                progress.Start("t-SNE", 750);
                var y = Tsne.Embed(all, perplexity, seed: r.GetValue(seed), progress: i => progress.Report(i));
                int offset = 0;
                var groups = new List<(string, double[], double[])>();
                foreach (var (name, f) in sets)
                {
                    int count = f.GetLength(0);
                    groups.Add((name, Enumerable.Range(offset, count).Select(i => y[i, 0]).ToArray(), Enumerable.Range(offset, count).Select(i => y[i, 1]).ToArray()));
                    offset += count;
                }
                Plots.Scatter(r.GetValue(output)!, $"t-SNE of {extractor.Name} features, perplexity {perplexity:0.##}" + (keep is null ? "" : $", classes {r.GetValue(classes)}"), groups,
                    "t-SNE dimension 1 (arbitrary units)", "t-SNE dimension 2 (arbitrary units)");
                progress.Message($"wrote {r.GetValue(output)}");
            });
            return 0;
        }));
        return command;
    }

    const double TsnePerplexity = 30;

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
