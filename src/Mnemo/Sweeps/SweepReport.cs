using System.Text.Json;
using System.Text.Json.Serialization;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.Sweeps;

/// <summary>Writes a <see cref="SweepSummary"/> into the sweep folder as report.html (and report.md), report.csv
/// (one line per cell and metric) and report.json (tables and every run).</summary>
public static class SweepReport
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The files written.</summary>
    public sealed record Files(string Html, string Csv, string Json);

    public static Files Write(SweepFolder sweep, SweepSummary summary)
    {
        var csv = Path.Combine(sweep.Root, "report.csv");
        AtomicFile.WriteAllText(csv, Csv(summary));
        var json = Path.Combine(sweep.Root, "report.json");
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(summary, Json));
        return new Files(Html(sweep, summary), csv, json);
    }

    /// <summary>The header and lines of each table as shown: a row label, then one column per group and metric.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Lines) Layout(SweepSummary summary, SweepTable table)
    {
        var groups = table.Columns.SelectMany(c => table.Metrics.Select(m => (Column: c, Metric: m))).ToList();
        var header = new List<string> { summary.RowAxes.Count > 0 ? summary.RowAxes[0] : "" };
        header.AddRange(groups.Select(g => g.Column.Length == 0 ? g.Metric.Title : table.Metrics.Count == 1 ? g.Column : $"{g.Column}: {g.Metric.Title}"));
        var lines = table.Rows.Select(r => (IReadOnlyList<string>)groups
            .Select(g => table.Cells.FirstOrDefault(c => c.Row == r && c.Column == g.Column && c.Metric == g.Metric)?.Text() ?? "")
            .Prepend(r).ToList()).ToList();
        return (header, lines);
    }

    static string Csv(SweepSummary summary)
    {
        var lines = new List<string> { "row,column,metric,mean,std,n,expected,diverged,failed,not_run" };
        foreach (var c in summary.Tables.SelectMany(t => t.Cells))
            lines.Add(string.Join(",", Quote(c.Row), Quote(c.Column), c.Metric.Id, NumberText.Format(c.Stats.Mean, "R", ""), NumberText.Format(c.Stats.Std, "R", ""),
                c.Stats.Count, c.Expected, c.Diverged, c.Failed, c.NotRun));
        return string.Join("\n", lines) + "\n";
    }

    static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    static string Html(SweepFolder sweep, SweepSummary summary)
    {
        var grid = sweep.Manifest.Grid;
        var report = new HtmlReport($"Mnemo sweep: {grid.System.Id()} grid of {summary.Points.Count} runs", sweep.Root);
        var counts = summary.Points.GroupBy(p => p.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.Id()}");
        report.Paragraph($"Runs: {string.Join(", ", counts)}. Each cell is the mean ± sample standard deviation over the seeds of its finished runs; " +
                         "a cell that lacks runs says how many seeds it holds and why the others are missing.");
        foreach (var table in summary.Tables)
        {
            report.Heading(table.Title);
            var (header, lines) = Layout(summary, table);
            report.Table(header, lines);
        }
        var problems = summary.Problems.ToList();
        if (problems.Count > 0)
        {
            report.Heading($"Runs left out of the tables ({problems.Count})");
            report.Table(["run", "state", "why", "log"], problems.Select(p => (IReadOnlyList<string>)
                [p.Name, p.State.Id(), p.Message ?? (p.State == PointState.Missing ? "never started" : "not finished (running, queued or killed)"),
                 Path.GetRelativePath(sweep.Root, sweep.LogPath(p.Point))]));
        }
        var metrics = summary.Tables.SelectMany(t => t.Metrics).Distinct().ToList();
        report.Heading("Every run");
        report.Table(new[] { "run", "state" }.Concat(metrics.Select(m => m.Title)).ToList(), summary.Points.Select(p => (IReadOnlyList<string>)
            new[] { p.Name, p.State.Id() }.Concat(metrics.Select(m => NumberText.Format(p.Values.GetValueOrDefault(m) * m.Scale, m.Format))).ToList()));
        report.Heading("Grid");
        report.Code(grid.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return report.Save("report");
    }
}
