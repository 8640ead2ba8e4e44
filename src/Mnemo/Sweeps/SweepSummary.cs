using System.Text.Json.Serialization;

namespace Mnemo.Sweeps;

/// <summary>One grid point as a report sees it: its state and, when finished, what it measured.</summary>
public sealed record PointResult(
    [property: JsonIgnore] GridPoint Point, PointState State, string? Message,
    [property: JsonIgnore] IReadOnlyDictionary<SweepMetric, double?> Values)
{
    public string Name => Point.Name;
    public int Index => Point.Index;
    public IReadOnlyDictionary<string, string> Axes => Point.Coordinates.ToDictionary(c => c.Axis, c => c.Value.Text);
    [JsonPropertyName("metrics")] public IReadOnlyDictionary<string, double?> MetricValues => Values.ToDictionary(v => v.Key.Id, v => v.Value);
}

/// <summary>One metric in one table cell (a row and a column group): mean ± std over the cell's seeds, and how many
/// of its runs are missing from it and why.</summary>
/// <param name="Expected">Runs in the cell (its seeds).</param>
/// <param name="NotRun">Runs never started or not finished yet (killed, running, queued).</param>
public sealed record CellStatistics(string Row, string Column, [property: JsonIgnore] SweepMetric Metric, SeedStatistics Stats,
    int Expected, int Diverged, int Failed, int NotRun)
{
    [JsonPropertyName("metric")] public string MetricId => Metric.Id;

    /// <summary>Whether some of the cell's runs are left out of its mean.</summary>
    public bool Incomplete => Stats.Count < Expected;

    /// <summary>"79.3 ± 1.2" (values scaled and formatted by the metric), "79.3" for one seed, "–" for none; with
    /// the left-out runs named: "80.1 (1 of 2 seeds: 1 diverged)".</summary>
    public string Text()
    {
        string F(double v) => Visualization.NumberText.Format(v * Metric.Scale, Metric.Format);
        var text = Stats.Mean is not { } mean ? "–" : Stats.Std is { } std ? $"{F(mean)} ± {F(std)}" : F(mean);
        if (!Incomplete) return text;
        var why = new[] { (Diverged, "diverged"), (Failed, "failed"), (NotRun, "not run") }.Where(x => x.Item1 > 0).Select(x => $"{x.Item1} {x.Item2}").ToList();
        return $"{text} ({Stats.Count} of {Expected} seeds{(why.Count > 0 ? ": " + string.Join(", ", why) : "")})";
    }
}

/// <summary>A report table: rows (methods), column groups (the other axes' combinations) and the metrics each group shows.</summary>
public sealed record SweepTable(string Title, IReadOnlyList<string> Rows, IReadOnlyList<string> Columns,
    [property: JsonIgnore] IReadOnlyList<SweepMetric> Metrics, IReadOnlyList<CellStatistics> Cells)
{
    [JsonPropertyName("metrics")] public IReadOnlyList<string> MetricIds => Metrics.Select(m => m.Id).ToList();

    public CellStatistics Cell(string row, string column, SweepMetric metric) =>
        Cells.Single(c => c.Row == row && c.Column == column && c.Metric == metric);
}

/// <summary>
/// A sweep collected into the paper's table layout. Rows are the values of the <c>method</c> axis (else of the first
/// axis that is not <c>seed</c>); column groups are the combinations of the other axes but <c>seed</c>; each cell
/// is the mean ± std over the seeds of its finished runs. Diverged, failed and unfinished runs are left out of the
/// means and counted in each cell, and listed with their errors.
/// </summary>
public sealed record SweepSummary(SweepSystem System, IReadOnlyList<string> RowAxes, IReadOnlyList<string> ColumnAxes,
    IReadOnlyList<PointResult> Points, IReadOnlyList<SweepTable> Tables)
{
    /// <summary>Runs left out of the tables (diverged, failed, not run).</summary>
    [JsonIgnore] public IEnumerable<PointResult> Problems => Points.Where(p => p.State != PointState.Finished);

    /// <summary>Reads every point of the sweep and builds its tables.</summary>
    public static SweepSummary Of(SweepFolder sweep)
    {
        var results = SweepResults.For(sweep.Manifest.Grid.System);
        var points = sweep.Points().Select(p => Read(sweep, results, p)).ToList();
        return Of(sweep.Manifest.Grid, results, points);
    }

    static PointResult Read(SweepFolder sweep, SweepResults results, GridPoint point)
    {
        var status = sweep.ReadStatus(point);
        var state = sweep.StateOf(point);
        if (state != PointState.Finished) return new(point, state, status?.Message, new Dictionary<SweepMetric, double?>());
        try
        {
            return new(point, state, null, results.Read(sweep.RunDir(point)));
        }
        catch (MnemoException e)
        {
            return new(point, PointState.Failed, $"finished, but its results cannot be read: {e.Message}", new Dictionary<SweepMetric, double?>());
        }
    }

    /// <summary>The tables of points already read (tests build them from made-up results).</summary>
    public static SweepSummary Of(SweepGrid grid, SweepResults results, IReadOnlyList<PointResult> points)
    {
        var others = grid.Axes.Select(a => a.Name).Where(a => a != SweepGrid.SeedAxis).ToList();
        List<string> rowAxes = others.Contains(SweepGrid.MethodAxis) ? [SweepGrid.MethodAxis] : others.Take(1).ToList();
        var columnAxes = others.Except(rowAxes).ToList();
        string Labels(GridPoint p, IReadOnlyList<string> axes) => string.Join(", ", axes.Select(a => $"{a}={p[a]}"));
        // Rows by the method alone, as the papers list them; column groups by their axes and values.
        string Row(GridPoint p) => rowAxes.Count == 0 ? "all runs" : $"{p[rowAxes[0]]}";
        string Column(GridPoint p) => Labels(p, columnAxes);

        var rows = points.Select(p => Row(p.Point)).Distinct().ToList();
        var columns = points.Select(p => Column(p.Point)).Distinct().ToList();
        bool anyFinished = points.Any(p => p.State == PointState.Finished);
        var tables = new List<SweepTable>();
        foreach (var table in results.Tables)
        {
            // A metric no finished run measured does not apply here (FID of a 2-D mixture): its column is left out.
            var metrics = table.Metrics.Where(m => !anyFinished || points.Any(p => p.Values.GetValueOrDefault(m) is not null)).ToList();
            if (metrics.Count == 0) continue;
            var cells = new List<CellStatistics>();
            foreach (var row in rows)
                foreach (var column in columns)
                {
                    var runs = points.Where(p => Row(p.Point) == row && Column(p.Point) == column).ToList();
                    if (runs.Count == 0) continue;
                    var finished = runs.Where(p => p.State == PointState.Finished).ToList();
                    int diverged = runs.Count(p => p.State == PointState.Diverged), failed = runs.Count(p => p.State == PointState.Failed);
                    int notRun = runs.Count(p => p.State is PointState.Incomplete or PointState.Missing);
                    cells.AddRange(metrics.Select(m => new CellStatistics(row, column, m,
                        SeedStatistics.Of(finished.Select(p => p.Values.GetValueOrDefault(m)).OfType<double>()), runs.Count, diverged, failed, notRun)));
                }
            tables.Add(new SweepTable(table.Title, rows, columns, metrics, cells));
        }
        return new SweepSummary(grid.System, rowAxes, columnAxes, points, tables);
    }
}
