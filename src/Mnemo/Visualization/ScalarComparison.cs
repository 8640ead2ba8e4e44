using Mnemo.Training;

namespace Mnemo.Visualization;

/// <summary>
/// A comparison of one-phase runs by their final metrics: comparison.csv (a row per run: method, each metric, the
/// run's differing settings) and comparison.html (the table, then each run's figures). The header states the shared
/// schedule, or what differs when the runs' settings differ besides the method (<see cref="SettingsSpread"/>).
/// </summary>
public static class ScalarComparison
{
    /// <summary>One run: its method id, folder and final metrics (as the system's report names them).</summary>
    public sealed record Row(string Method, string Dir, IReadOnlyList<(string Name, double Value)> Metrics);

    /// <summary>The comparison of runs of a one-phase system: rows named by <paramref name="method"/>, headed by the
    /// shared schedule (or by what differs).</summary>
    /// <param name="figures">Each run's figures, relative to its folder, with their captions.</param>
    /// <returns>comparison.html's path.</returns>
    public static string Write<TSettings, TResult>(string outDir, string title, IReadOnlyList<ComparedRun<TSettings, TResult>> runs,
        Func<TSettings, string> method, Func<TSettings, int> iterations, Func<TResult, IEnumerable<(string Name, double Value)>> metrics,
        IReadOnlyList<(string File, string Caption)> figures) where TSettings : TrainingSettings<TSettings>, IRunSettings<TSettings>
    {
        var first = runs[0].Settings;
        return Write(outDir, title, $"Same networks, schedule ({iterations(first)} iterations, profile {first.Profile}) and seed {first.Seed} for every run.",
            SettingsSpread.Of(runs.Select(r => r.Settings)), runs.Select(r => new Row(method(r.Settings), r.Dir, metrics(r.Result).ToList())).ToList(), figures);
    }

    /// <param name="sameSettings">The header when the runs share their settings (e.g. the schedule and seed).</param>
    /// <param name="figures">Each run's figures, relative to its folder, with their captions.</param>
    /// <returns>comparison.html's path.</returns>
    public static string Write(string outDir, string title, string sameSettings, SettingsSpread spread, IReadOnlyList<Row> rows,
        IReadOnlyList<(string File, string Caption)> figures)
    {
        var names = rows.SelectMany(r => r.Metrics.Select(m => m.Name)).Distinct().ToList();
        string Cell(Row row, string name) => NumberText.Format(row.Metrics.Where(m => m.Name == name).Select(m => (double?)m.Value).FirstOrDefault());
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.csv"),
            "method," + string.Join(",", names.Select(CsvName)) + ",settings\n" +
            string.Concat(rows.Select((r, i) => r.Method + "," + string.Join(",", names.Select(n => Cell(r, n))) + "," + Csv.Cell(spread.Label(i)) + "\n")));
        var labels = rows.Select((r, i) => spread.Name(r.Method, i)).ToList();
        var report = new HtmlReport(title, outDir);
        report.Paragraph(spread.Uniform ? sameSettings : spread.Warning);
        report.Table(new[] { "method" }.Concat(names).ToArray(),
            rows.Select((r, i) => (IReadOnlyList<string>)new[] { labels[i] }.Concat(names.Select(n => Cell(r, n))).ToArray()));
        for (int i = 0; i < rows.Count; i++)
            foreach (var (file, caption) in figures)
                report.Image(Path.Combine(Path.GetRelativePath(outDir, rows[i].Dir), file), $"{labels[i]}: {caption}");
        return report.Save("comparison");
    }

    /// <summary>A metric's CSV column: its report name in snake case ("FID (classifier features)" → fid_classifier_features).</summary>
    static string CsvName(string name) => System.Text.RegularExpressions.Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]+", "_").Trim('_');
}
