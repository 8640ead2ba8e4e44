using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mnemo.Training;

/// <summary>
/// One typed line of a run's metrics.jsonl. Trainers write records and reports read the same types back, so a
/// renamed or missing metric is a compile error rather than an empty figure. Property names are written in
/// snake_case; null values are left out.
/// </summary>
public interface IMetricRecord
{
    long Step { get; }
    /// <summary>The record's "event" value in metrics.jsonl (null for per-iteration training records).</summary>
    static abstract string? Event { get; }
}

/// <summary>Reads and writes <see cref="IMetricRecord"/>s as JSON objects.</summary>
public static class MetricRecords
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    /// <summary>The record as a JSON object, "step" and (when the type has one) "event" first.</summary>
    public static JsonObject ToJson<T>(T record) where T : IMetricRecord
    {
        var body = JsonSerializer.SerializeToNode(record, record.GetType(), Json)!.AsObject();
        var result = new JsonObject { ["step"] = record.Step };
        if (T.Event is { } e) result["event"] = e;
        foreach (var (key, value) in body)
            if (key != "step") result[key] = value?.DeepClone();
        return result;
    }

    /// <summary>The record as written by <see cref="ToJson"/>; a record that lacks a required metric is refused.</summary>
    public static T FromJson<T>(JsonObject json, string source) where T : IMetricRecord
    {
        try
        {
            return json.Deserialize<T>(Json) ?? throw new JsonException("null record");
        }
        catch (JsonException e)
        {
            throw new MnemoException($"{source} has a {T.Event ?? "training"} record this Mnemo cannot read ({e.Message}).");
        }
    }

    /// <summary>Whether <paramref name="json"/> is a record of type <typeparamref name="T"/> (by its "event").</summary>
    public static bool IsA<T>(JsonObject json) where T : IMetricRecord => (string?)json["event"] == T.Event;

    /// <summary>NaN and infinities become null (not computed or undefined), so records stay valid JSON.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary><see cref="Finite"/> rounded to 6 decimals, for losses logged every few iterations.</summary>
    public static double? Rounded(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;
}
