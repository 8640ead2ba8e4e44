using ScottPlot;

namespace Mnemo.Visualization;

/// <summary>PNG figures (ScottPlot): curves, heatmaps, bar charts and scatter plots.</summary>
public static class Plots
{
    static readonly object FontLock = new();
    static bool _fontRegistered;

    const float TitleFontSize = 16;

    static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        EnsureFont();
        var plot = new Plot();
        plot.Title(title, TitleFontSize);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Ticks only at whole numbers on an axis that counts (iterations, tasks, slots): a short run otherwise
    /// gets ticks at 0.5, 1.5, ….</summary>
    static void IntegerTicks(IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    /// <summary>A figure tall enough for its y label (bold, along the data area between title and x axis).</summary>
    static int HeightFor(string yLabel, int height)
    {
        using var font = new SkiaSharp.SKFont(Fonts.Default, 16) { Embolden = true };
        return Math.Max(height, (int)Math.Ceiling(font.MeasureText(yLabel)) + 160);
    }

    /// <summary>A figure at least as wide as its title (bold, plus margins), so no title is clipped.</summary>
    static int WidthFor(string title, int width)
    {
        using var font = new SkiaSharp.SKFont(Fonts.Default, TitleFontSize) { Embolden = true };
        // The title is centred over the data area, which the axis labels and a colour bar narrow: room on both sides.
        return Math.Max(width, (int)Math.Ceiling(font.MeasureText(title)) + 220);
    }

    /// <summary>ScottPlot finds fonts through SkiaSharp, which has no fontconfig in its portable Linux build:
    /// register DejaVu Sans by file where the system has it.</summary>
    static void EnsureFont()
    {
        lock (FontLock)
        {
            if (_fontRegistered) return;
            _fontRegistered = true;
            const string path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
            if (File.Exists(path))
            {
                ScottPlot.Fonts.AddFontFile("DejaVu Sans", path);
                ScottPlot.Fonts.Default = "DejaVu Sans";
            }
        }
    }

    static void Save(Plot plot, string path, int width, int height)
    {
        width = WidthFor(plot.Axes.Title.Label.Text, width);
        height = HeightFor(plot.Axes.Left.Label.Text, height);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var bytes = plot.GetImageBytes(width, height, ImageFormat.Png);
        Training.AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>A curve from typed metric records: x = step, y = the chosen metric, records without it skipped.</summary>
    public static (string Name, double[] X, double[] Y) Series<T>(IEnumerable<T> records, Func<T, double?> value, string name) where T : Training.IMetricRecord
    {
        var rows = records.Select(r => (X: (double)r.Step, Y: value(r))).Where(p => p.Y is { } y && double.IsFinite(y)).ToList();
        return (name, rows.Select(p => p.X).ToArray(), rows.Select(p => p.Y!.Value).ToArray());
    }

    /// <summary>One line per series over a shared or own x axis, which counts (iterations, or tasks with
    /// <paramref name="perTask"/>: a tick at every task number).</summary>
    /// <param name="integerY">The y values count something (slots, samples): ticks at whole numbers only.</param>
    public static void Lines(string path, string title, string xLabel, string yLabel,
        IEnumerable<(string Name, double[] X, double[] Y)> series, int width = 800, int height = 450, bool perTask = false, bool integerY = false)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        series = series.ToList();
        int lastTask = (int)series.SelectMany(s => s.X).DefaultIfEmpty(1).Max();
        if (perTask) plot.Axes.Bottom.SetTicks(Enumerable.Range(1, lastTask).Select(t => (double)t).ToArray(), Enumerable.Range(1, lastTask).Select(t => t.ToString()).ToArray());
        else IntegerTicks(plot.Axes.Bottom);
        if (integerY) IntegerTicks(plot.Axes.Left);
        foreach (var (name, x, y) in series)
        {
            if (x.Length == 0) continue;
            var line = plot.Add.Scatter(x, y);
            line.LegendText = name;
            line.MarkerSize = x.Length > 40 ? 0 : 5;
        }
        plot.ShowLegend(Edge.Right); // beside the data: a legend inside the axes hides the points under it
        Save(plot, path, width, height);
    }

    /// <summary>A matrix as a heatmap with each cell's value written in it (rows top to bottom).</summary>
    public static void Heatmap(string path, string title, double[,] values, IReadOnlyList<string> rowLabels,
        IReadOnlyList<string> columnLabels, string xLabel, string yLabel, string format = "0.00")
    {
        var plot = NewPlot(title, xLabel, yLabel);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        // ScottPlot draws the array's first row at the top (y = rows − 1), where the first row's label and values go.
        var heat = plot.Add.Heatmap(values);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        heat.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(heat);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                if (double.IsNaN(values[r, c])) continue;
                var text = plot.Add.Text(NumberText.Format(values[r, c], format), c, rows - 1 - r);
                text.LabelFontSize = 10;
                text.LabelFontColor = values[r, c] > 0.6 ? Colors.Black : Colors.White;
                text.LabelAlignment = Alignment.MiddleCenter;
            }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, cols).Select(i => (double)i).ToArray(), columnLabels.ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(), rowLabels.ToArray());
        // Room for the colour bar beside the cells and for the y label along them.
        Save(plot, path, 220 + 55 * cols, Math.Max(300, 120 + 40 * rows));
    }

    /// <summary>Bars with category labels, e.g. one method per bar.</summary>
    public static void Bars(string path, string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string xLabel, string yLabel)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var bars = plot.Add.Bars(values.ToArray());
        for (int i = 0; i < bars.Bars.Count; i++) bars.Bars[i].Label = NumberText.Format(values[i], "0.000");
        bars.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Margins(bottom: 0);
        Save(plot, path, Math.Max(500, 90 * labels.Count), 450);
    }

    /// <summary>Point clouds, one colour per group, with a legend.</summary>
    public static void Scatter(string path, string title, IEnumerable<(string Name, double[] X, double[] Y)> groups, string xLabel, string yLabel,
        int width = 700, int height = 700, float markerSize = 3, bool legend = true)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        foreach (var (name, x, y) in groups)
        {
            if (x.Length == 0) continue;
            var points = plot.Add.ScatterPoints(x, y);
            if (legend) points.LegendText = name;
            points.MarkerSize = markerSize;
        }
        if (legend) plot.ShowLegend(Edge.Right);
        Save(plot, path, width, height);
    }
}
