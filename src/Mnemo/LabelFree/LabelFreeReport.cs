using Mnemo.Continual;
using Mnemo.Visualization;

namespace Mnemo.LabelFree;

/// <summary>The label-free sections of a continual run's report and comparison (docs/labelfree.md).</summary>
public static class LabelFreeReport
{
    static string F(double? v, string format = "0.000") => NumberText.Format(v, format);

    /// <summary>Forgetting of task <paramref name="task"/>'s measure: its best value after an earlier evaluation minus its
    /// value after the last one (null for the last task, which no later task could make forget).</summary>
    public static double? Forgetting(IReadOnlyList<LabelFreeMetrics> evaluations, int task, Func<TaskLabelFreeMetrics, double> measure)
    {
        if (task >= evaluations.Count - 1) return null;
        double best = Enumerable.Range(task, evaluations.Count - 1 - task).Max(e => measure(evaluations[e].PerTask[task]));
        return best - measure(evaluations[^1].PerTask[task]);
    }

    /// <summary>Adds the cluster measurements after each task, the per-task values over time and the forgetting.</summary>
    public static void AddSections(HtmlReport report, ContinualResults r)
    {
        if (r.LabelFree is not { Count: > 0 } evaluations) return;
        report.Heading("Label-free: the model's clusters of real test images and its generated images after each task");
        report.Paragraph(r.Method == ContinualMethod.LfDgr
            ? "Labels are read only here. Cluster measures: the solver's clusters (argmax over the seen clusters) of the real test images of the " +
              "classes seen so far (Hungarian-matched accuracy, NMI, purity). Generated: images of the unconditional generator, as many as the " +
              "seen clusters times the images per cluster, each in the cluster the solver assigns it, labelled by the evaluation classifier; " +
              "each cluster matched to a class (Hungarian, majority for extra clusters); share classified as the matched class."
            : "Labels are read only here. Cluster measures: the critic's cluster classifier on the real test images of the classes " +
              "seen so far (Hungarian-matched accuracy, NMI, purity). Generated: images of every seen cluster labelled by the evaluation " +
              "classifier; each cluster matched to a class (Hungarian, majority for extra clusters); share classified as the matched class.");
        report.Table(new[] { "after task", "cluster accuracy", "NMI", "purity", "generated accuracy", "classes generated", "clusters → classes" },
            evaluations.Select((m, t) => (IReadOnlyList<string>)new[]
            {
                $"{t + 1} ({r.TaskNames[t]})", F(m.ClusterAccuracy), F(m.ClusterNmi), F(m.ClusterPurity), F(m.GeneratedAccuracy),
                m.ClassesGenerated.ToString(), string.Join(" ", m.ClusterClasses.Select((c, k) => $"c{k}→{Name(r, c)}")),
            }));
        report.Heading("Label-free: each task's own measures after every later task (forgetting)");
        report.Table(new[] { "task", "measure" }.Concat(Enumerable.Range(1, evaluations.Count).Select(t => $"after {t}")).Append("forgetting").ToArray(),
            Enumerable.Range(0, evaluations.Count).SelectMany(j => new (string Name, Func<TaskLabelFreeMetrics, double> Measure)[]
            {
                ("cluster accuracy", m => m.ClusterAccuracy), ("NMI", m => m.ClusterNmi), ("generated accuracy", m => m.GeneratedAccuracy),
            }.Select(measure => (IReadOnlyList<string>)new[] { $"{j + 1} ({r.TaskNames[j]})", measure.Name }
                .Concat(evaluations.Select(e => j < e.PerTask.Count ? F(measure.Measure(e.PerTask[j])) : ""))
                .Append(F(Forgetting(evaluations, j, measure.Measure))).ToArray())));
    }

    static string Name(ContinualResults r, int cls) => Array.IndexOf(r.Classes, cls) is var k and >= 0 ? r.ClassNames[k] : cls.ToString();
}
