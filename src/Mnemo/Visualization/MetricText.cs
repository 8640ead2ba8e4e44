using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mnemo.Visualization;

/// <summary>Formats metric values for report tables, whether they come from a fresh run (typed CLR values: int modes,
/// double rates) or from a metrics.json file (JSON numbers).</summary>
public static class MetricText
{
    public static string Format(JsonNode? node, string missing = "–")
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
            return double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture).ToString("0.####", CultureInfo.InvariantCulture);
        return node is null ? missing : node.ToString();
    }
}
