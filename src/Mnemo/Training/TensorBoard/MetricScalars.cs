using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mnemo.Training.TensorBoard;

/// <summary>Marks a record property that says where a record is (task, iteration within a task) rather than what
/// was measured: metrics.jsonl keeps it, TensorBoard leaves it out (its step axis is the run's iteration).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositionAttribute : Attribute;

/// <summary>Marks a numeric array whose entries have no identity of their own (e.g. cluster sizes): TensorBoard
/// shows it as one histogram instead of one chart per entry.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DistributionAttribute : Attribute;

/// <summary>What TensorBoard shows of one metric record.</summary>
/// <param name="Scalars">Tag and value, e.g. ("evaluation/fid", 12.3), ("evaluation/class_accuracy/7", 0.91).</param>
/// <param name="Histograms">Tag and values of <see cref="DistributionAttribute"/> arrays.</param>
public sealed record MetricScalars(IReadOnlyList<(string Tag, double Value)> Scalars, IReadOnlyList<(string Tag, double[] Values)> Histograms)
{
    /// <summary>The record's measurements under "&lt;section&gt;/&lt;name&gt;", with the names of metrics.jsonl: the
    /// section is the record's event ("evaluation", "clustering") or "train" for per-iteration training records.
    /// Numbers become scalars; a numeric array or object becomes one scalar per entry ("…/&lt;index or key&gt;");
    /// null (not measured) and text are left out.</summary>
    public static MetricScalars Of<T>(T record) where T : IMetricRecord
    {
        var section = T.Event ?? "train";
        var json = MetricRecords.ToJson(record);
        var skipped = new HashSet<string> { "step", "event" };
        var histograms = new List<(string, double[])>();
        foreach (var p in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name);
            if (p.GetCustomAttribute<PositionAttribute>() is not null) skipped.Add(name);
            if (p.GetCustomAttribute<DistributionAttribute>() is null || json[name] is not JsonArray values) continue;
            skipped.Add(name);
            histograms.Add(($"{section}/{name}", values.Select(v => (double)v!).ToArray()));
        }
        var scalars = new List<(string, double)>();
        foreach (var (key, value) in json)
            if (!skipped.Contains(key)) Collect($"{section}/{key}", value, scalars);
        return new(scalars, histograms);
    }

    static void Collect(string tag, JsonNode? node, List<(string, double)> into)
    {
        switch (node)
        {
            case JsonValue v when v.TryGetValue(out double d):
                into.Add((tag, d));
                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++) Collect($"{tag}/{i}", a[i], into);
                break;
            case JsonObject o:
                foreach (var (k, child) in o) Collect($"{tag}/{k}", child, into);
                break;
        }
    }
}
