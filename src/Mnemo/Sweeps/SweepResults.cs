using System.Text.Json;
using System.Text.Json.Nodes;
using Mnemo.Continual;
using Mnemo.Evaluation;
using Mnemo.MemoryGan;
using Mnemo.Training;

namespace Mnemo.Sweeps;

/// <summary>A number a finished run measured, as a sweep report shows it: the value times <see cref="Scale"/>
/// (100 for a percentage) in <see cref="Format"/>.</summary>
/// <param name="Id">The metric's name in report.csv and report.json.</param>
public sealed record SweepMetric(string Id, string Title, string Format, double Scale = 1);

/// <summary>One table of a report: the metrics it shows side by side for each row and column group.</summary>
public sealed record MetricTable(string Title, IReadOnlyList<SweepMetric> Metrics);

/// <summary>What a sweep report reads from a system's finished runs, and the tables it lays them out in (the
/// papers' tables).</summary>
public abstract class SweepResults
{
    /// <summary>The report's tables, the paper's own first.</summary>
    public abstract IReadOnlyList<MetricTable> Tables { get; }

    /// <summary>The metrics a finished run measured (null: not measured, e.g. no FID features).</summary>
    /// <exception cref="MnemoException">Its result file is missing or unreadable.</exception>
    public abstract IReadOnlyDictionary<SweepMetric, double?> Read(string runDir);

    public static SweepResults For(SweepSystem system) => system switch
    {
        SweepSystem.Continual => new ContinualSweepResults(),
        SweepSystem.Selfcond => new SelfCondSweepResults(),
        SweepSystem.Memorygan => new MemoryGanSweepResults(),
        _ => throw new ArgumentOutOfRangeException(nameof(system)),
    };

    /// <summary>A metrics.json written by <see cref="RunFolder.WriteJson"/> from a typed record.</summary>
    protected static T ReadRecord<T>(string runDir) where T : IMetricRecord
    {
        var path = Path.Combine(runDir, "metrics.json");
        if (!File.Exists(path)) throw new MnemoException($"{path} is missing");
        try
        {
            return MetricRecords.FromJson<T>(JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object"), path);
        }
        catch (JsonException e)
        {
            throw new MnemoException($"{path} is not valid JSON ({e.Message})");
        }
    }
}

/// <summary>MeRGAN (Wu et al. 2018), Table 1: average accuracy of the evaluation classifier on generated images of
/// all classes after the last task; then reverse accuracy and FID.</summary>
public sealed class ContinualSweepResults : SweepResults
{
    public static readonly SweepMetric Accuracy = new("final_average_accuracy", "average accuracy after the last task (%)", "0.0", 100);
    public static readonly SweepMetric ReverseAccuracy = new("reverse_accuracy", "reverse accuracy (%)", "0.0", 100);
    public static readonly SweepMetric Fid = new("final_fid", "FID after the last task", "0.0");

    public override IReadOnlyList<MetricTable> Tables =>
    [
        new("Average accuracy (%) after the last task, mean ± std over seeds (MeRGAN Table 1)", [Accuracy]),
        new("Reverse accuracy (%) and FID (classifier features) after the last task", [ReverseAccuracy, Fid]),
    ];

    public override IReadOnlyDictionary<SweepMetric, double?> Read(string runDir)
    {
        var path = Path.Combine(runDir, "evaluation.json");
        if (!File.Exists(path)) throw new MnemoException($"{path} is missing");
        var r = ContinualResults.FromJson(path);
        return new Dictionary<SweepMetric, double?>
        {
            [Accuracy] = r.FinalAverageAccuracy, [ReverseAccuracy] = r.ReverseAccuracy,
            [Fid] = r.Fid.Count > 0 ? MetricRecords.Finite(r.Fid[^1]) : null,
        };
    }
}

/// <summary>Self-Conditioned GAN (Liu et al. 2020), the 2-D and Stacked-MNIST table: modes covered, % high-quality
/// samples, reverse KL; FID and IS for image data.</summary>
public sealed class SelfCondSweepResults : SweepResults
{
    public static readonly SweepMetric Modes = new("modes", "modes", "0.0");
    public static readonly SweepMetric HighQuality = new("high_quality", "% high quality", "0.0", 100);
    public static readonly SweepMetric ReverseKl = new("reverse_kl", "reverse KL", "0.000");
    public static readonly SweepMetric Fid = new("fid", "FID", "0.0");
    public static readonly SweepMetric InceptionScore = new("is", "IS", "0.00");

    public override IReadOnlyList<MetricTable> Tables =>
    [
        new("Modes, % high-quality samples and reverse KL, mean ± std over seeds (Self-Conditioned GAN Table 1)", [Modes, HighQuality, ReverseKl]),
        new("FID and Inception Score", [Fid, InceptionScore]),
    ];

    public override IReadOnlyDictionary<SweepMetric, double?> Read(string runDir)
    {
        var m = ReadRecord<SampleMetrics>(runDir);
        return new Dictionary<SweepMetric, double?>
        {
            [Modes] = m.Modes, [HighQuality] = m.HighQuality, [ReverseKl] = m.ReverseKl, [Fid] = m.Fid, [InceptionScore] = m.Is,
        };
    }
}

/// <summary>MemoryGAN (Kim et al. 2018): FID and IS on the evaluation classifier's features, classes generated and the
/// share of real-valued memory slots.</summary>
public sealed class MemoryGanSweepResults : SweepResults
{
    public static readonly SweepMetric Fid = new("fid_classifier", "FID (classifier features)", "0.00");
    public static readonly SweepMetric InceptionScore = new("is_classifier", "IS (classifier)", "0.00");
    public static readonly SweepMetric Classes = new("classes_generated", "classes generated", "0.0");
    public static readonly SweepMetric RealSlots = new("memory_real_fraction", "real-valued memory slots (%)", "0.0", 100);

    public override IReadOnlyList<MetricTable> Tables =>
        [new("FID and IS on classifier features, classes generated, real-valued memory slots: mean ± std over seeds", [Fid, InceptionScore, Classes, RealSlots])];

    public override IReadOnlyDictionary<SweepMetric, double?> Read(string runDir)
    {
        var m = ReadRecord<MemoryGanEvaluation>(runDir);
        return new Dictionary<SweepMetric, double?>
        {
            [Fid] = MetricRecords.Finite(m.FidClassifier), [InceptionScore] = MetricRecords.Finite(m.IsClassifier),
            [Classes] = m.ClassesGenerated, [RealSlots] = m.MemoryRealFraction,
        };
    }
}
