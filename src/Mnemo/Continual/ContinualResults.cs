using System.Text.Json;
using System.Text.Json.Nodes;
using Mnemo.Visualization;

namespace Mnemo.Continual;

/// <summary>
/// What a continual run measured: after each task, the evaluation classifier's accuracy on generated images of
/// every class of the sequence (NaN for classes not yet seen), their average over seen classes, the FID between
/// generated and real test images of the seen classes (classifier features), and after the last task the
/// reverse accuracy. Saved as evaluation.json and accuracy.csv.
/// </summary>
public sealed class ContinualResults
{
    public ContinualMethod Method { get; set; }
    public int[] Classes { get; set; } = Array.Empty<int>();
    public string[] ClassNames { get; set; } = Array.Empty<string>();
    public List<string> TaskNames { get; set; } = new();
    public List<double?[]> Accuracy { get; set; } = new();
    public List<double> AverageAccuracy { get; set; } = new();
    public List<double> Fid { get; set; } = new();
    public List<double> TaskSeconds { get; set; } = new();
    public double? ReverseAccuracy { get; set; }
    public double ClassifierTestAccuracy { get; set; }
    public string FidFeatures { get; set; } = "evaluation classifier (128-d)";
    /// <summary>Label-free methods: the cluster and generation measurements after each task (docs/labelfree.md);
    /// null for methods with labels (and then absent from evaluation.json).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<LabelFree.LabelFreeMetrics>? LabelFree { get; set; }

    public double? FinalAverageAccuracy => AverageAccuracy.Count > 0 ? AverageAccuracy[^1] : null;

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public JsonNode ToJson() => JsonSerializer.SerializeToNode(this, Options)!;

    public static ContinualResults FromJson(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ContinualResults>(File.ReadAllText(path)) ?? new ContinualResults();
        }
        catch (JsonException e)
        {
            throw new MnemoException($"{path} is not valid JSON ({e.Message}).");
        }
    }

    /// <summary>Drops the measurements of tasks after the first <paramref name="tasks"/> (a resume starts there).</summary>
    public void KeepTasks(int tasks)
    {
        static void Keep<T>(List<T> list, int n) { if (list.Count > n) list.RemoveRange(n, list.Count - n); }
        Keep(Accuracy, tasks);
        Keep(AverageAccuracy, tasks);
        Keep(Fid, tasks);
        Keep(TaskSeconds, tasks);
        if (LabelFree is not null) Keep(LabelFree, tasks);
    }

    /// <summary>The task × class matrix as CSV (rows: after task t; columns: classes; empty for unseen).</summary>
    public string ToCsv()
    {
        var lines = new List<string> { "after_task," + string.Join(",", ClassNames.Select(Csv.Cell)) + ",average" };
        for (int t = 0; t < Accuracy.Count; t++)
            lines.Add($"{t + 1}," + string.Join(",", Accuracy[t].Select(a => NumberText.Format(a, "0.0000", ""))) + $",{NumberText.Format(AverageAccuracy[t], "0.0000", "")}");
        return string.Join("\n", lines) + "\n";
    }
}
