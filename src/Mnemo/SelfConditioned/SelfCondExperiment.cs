using System.Globalization;
using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>Entry points for Self-Conditioned GAN runs: data and evaluator per dataset, start, resume, compare.</summary>
public static class SelfCondExperiment
{
    public static JsonObject Start(SelfCondOptions options, string outDir, string dataRoot, IProgressReporter progress, string? inceptionWeights = null)
    {
        options.Validate();
        var (train, test, evaluator) = Prepare(options, dataRoot, progress, inceptionWeights);
        using (train)
        using (test)
        {
            var settings = options.ToJson();
            settings["data_root"] = dataRoot;
            if (inceptionWeights is not null) settings["inception"] = inceptionWeights;
            var run = RunFolder.Create(outDir, settings);
            return new SelfCondTrainer(options, run, train, test, evaluator, progress).Run(resume: false);
        }
    }

    public static JsonObject Resume(string runDir, IProgressReporter progress)
    {
        var (run, settings) = RunFolder.Open(runDir);
        var dataRoot = (string?)settings["data_root"] ?? DataRoot.Resolve(null);
        var inception = (string?)settings["inception"];
        settings.Remove("data_root");
        settings.Remove("inception");
        var options = SelfCondOptions.FromJson(settings);
        var (train, test, evaluator) = Prepare(options, dataRoot, progress, inception);
        using (train)
        using (test)
            return new SelfCondTrainer(options, run, train, test, evaluator, progress).Run(resume: true);
    }

    static (SampleSet Train, SampleSet Test, ISampleEvaluator Evaluator) Prepare(SelfCondOptions o, string dataRoot, IProgressReporter progress, string? inception)
    {
        if (o.IsTwoD)
        {
            var mixture = Mixture2D.ByName(o.Dataset);
            var (points, modes) = mixture.Sample(o.TrainPoints, new Random(o.Seed + 1));
            var (testPoints, testModes) = mixture.Sample(Math.Max(o.EvalSamples, 1000), new Random(o.Seed + 2));
            var test = new SampleSet(testPoints, testModes, mixture.Modes);
            return (new SampleSet(points, modes, mixture.Modes), test, new MixtureEvaluator(mixture, testPoints));
        }
        if (o.Dataset == "stacked-mnist")
        {
            var mnist = Continual.ContinualExperiment.LoadData("mnist", dataRoot, 32, progress);
            var classifier = EvaluationClassifier.LoadOrTrain(dataRoot, "mnist", mnist, progress);
            var stacked = StackedMnist.Build(mnist, o.Seed); // takes over (and disposes) the MNIST split
            return (new SampleSet(stacked.Train), new SampleSet(stacked.Test), new StackedMnistEvaluator(classifier));
        }
        var split = DatasetCatalog.Load(o.Dataset, dataRoot, 32, o.Seed);
        IFeatureExtractor features = inception is not null
            ? InceptionFeatures.Load(inception)
            : new ClassifierFeatures(EvaluationClassifier.LoadOrTrain(dataRoot, o.Dataset, split, progress), o.Dataset);
        var realCount = Math.Min(split.Test.Count, 10_000);
        using var idx = arange(realCount, dtype: ScalarType.Int64);
        using var real = split.Test.Batch(idx);
        return (new SampleSet(split.Train), new SampleSet(split.Test), new FeatureEvaluator(features, real));
    }

    /// <summary>Runs selfcond and the two baselines with the same settings; writes comparison.html/.csv.</summary>
    public static string Compare(SelfCondOptions options, IReadOnlyList<string> methods, string outDir, string dataRoot, IProgressReporter progress)
    {
        var results = new List<(string Method, JsonObject Metrics, double Seconds)>();
        foreach (var method in methods)
        {
            var dir = Path.Combine(outDir, method);
            var started = DateTime.UtcNow;
            var metrics = File.Exists(Path.Combine(dir, "metrics.json"))
                ? JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!.AsObject()
                : File.Exists(Path.Combine(dir, "config.json")) ? Resume(dir, progress) : Start(options with { Method = method }, dir, dataRoot, progress);
            results.Add((method, metrics, (DateTime.UtcNow - started).TotalSeconds));
        }
        var keys = results.SelectMany(r => r.Metrics.Select(kv => kv.Key)).Where(k => k is not "event" and not "step" and not "features").Distinct().ToList();
        static string F(JsonNode? v) => MetricText.Format(v);
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.csv"),
            "method," + string.Join(",", keys) + "\n" + string.Concat(results.Select(r => r.Method + "," + string.Join(",", keys.Select(k => F(r.Metrics[k]))) + "\n")));
        var report = new HtmlReport($"Mnemo: Self-Conditioned GAN and baselines on {options.Dataset}", outDir);
        report.Paragraph($"Same networks, schedule ({options.Iterations} iterations, profile {options.Profile}) and seed {options.Seed} for every method.");
        report.Table(new[] { "method" }.Concat(keys).ToArray(), results.Select(r => (IReadOnlyList<string>)new[] { r.Method }.Concat(keys.Select(k => F(r.Metrics[k]))).ToArray()));
        foreach (var r in results)
        {
            report.Image($"{r.Method}/figures/real-vs-generated.png", $"{r.Method}: real and generated");
            report.Image($"{r.Method}/images/samples.png", $"{r.Method}: samples");
        }
        return report.Save("comparison");
    }
}
