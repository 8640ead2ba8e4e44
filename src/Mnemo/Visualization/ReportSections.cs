using System.Text.Json.Nodes;
using Mnemo.Training;

namespace Mnemo.Visualization;

/// <summary>The sections every run report shares: a metrics table, the settings, the run's figures.</summary>
public static class ReportSections
{
    /// <summary>"Final metrics": one row per measured value.</summary>
    public static HtmlReport MetricsTable(this HtmlReport report, IEnumerable<(string Name, double Value)> metrics, string heading = "Final metrics")
    {
        report.Heading(heading);
        return report.Table(new[] { "metric", "value" }, metrics.Select(m => (IReadOnlyList<string>)new[] { m.Name, NumberText.Format(m.Value) }));
    }

    /// <summary>"Settings": the device the run was trained on (config.json's "device", e.g. "cuda:0, then cpu" after a
    /// resume elsewhere; left out for runs that record none) and the run's settings as stored in config.json.</summary>
    public static HtmlReport Settings(this HtmlReport report, JsonObject settings, string? device = null)
    {
        report.Heading("Settings");
        if (device is not null) report.Paragraph($"Device: {device}");
        return report.Code(settings.ToJsonString(RunFolder.Json));
    }
}
