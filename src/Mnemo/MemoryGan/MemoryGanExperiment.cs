using System.Text.Json.Nodes;
using Mnemo.Data;
using Mnemo.Evaluation;
using Mnemo.Training;

namespace Mnemo.MemoryGan;

/// <summary>Start or resume a MemoryGAN run (32×32 images in [-1, 1]; Fashion-MNIST and MNIST are padded 28 → 32).</summary>
public static class MemoryGanExperiment
{
    public static JsonObject Start(MemoryGanOptions options, string outDir, string dataRoot, IProgressReporter progress)
    {
        options.Validate();
        using var data = Continual.ContinualExperiment.LoadData(options.Dataset, dataRoot, 32, progress);
        using var classifier = EvaluationClassifier.LoadOrTrain(dataRoot, options.Dataset, data, progress);
        var settings = options.ToJson();
        settings["data_root"] = dataRoot;
        var run = RunFolder.Create(outDir, settings);
        return new MemoryGanTrainer(options, run, data, classifier, progress).Run(resume: false);
    }

    public static JsonObject Resume(string runDir, IProgressReporter progress)
    {
        var (run, settings) = RunFolder.Open(runDir);
        var dataRoot = (string?)settings["data_root"] ?? DataRoot.Resolve(null);
        settings.Remove("data_root");
        var options = MemoryGanOptions.FromJson(settings);
        using var data = Continual.ContinualExperiment.LoadData(options.Dataset, dataRoot, 32, progress);
        using var classifier = EvaluationClassifier.LoadOrTrain(dataRoot, options.Dataset, data, progress);
        return new MemoryGanTrainer(options, run, data, classifier, progress).Run(resume: true);
    }
}
