using Mnemo.Evaluation;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.SelfConditioned;

/// <summary>Figures and report of a Self-Conditioned GAN run: losses, metric curves, clustering history, samples.</summary>
public static class SelfCondReport
{
    /// <summary>The metric curves drawn when the final evaluation has them (file name, title, value).</summary>
    static readonly (string File, string Title, string Unit, Func<SampleMetrics, double?> Value)[] Curves =
    {
        ("modes", "modes", "modes (count)", m => m.Modes), ("high_quality", "high quality", "high quality (share)", m => m.HighQuality),
        ("reverse_kl", "reverse KL", "reverse KL (nats; images: log10)", m => m.ReverseKl),
        ("fid", "FID", "FID (squared feature distance)", m => m.Fid), ("is", "IS", "IS (effective classes)", m => m.Is),
    };

    public static string Write(RunFolder run, SelfCondOptions o, SampleMetrics final)
    {
        var figures = Path.Combine(run.Root, "figures");
        Directory.CreateDirectory(figures);
        var training = run.Read<SelfCondTrainingRecord>();
        var evaluations = run.Read<SampleMetrics>();
        var clusterings = run.Read<ClusteringRecord>();
        Plots.Lines(Path.Combine(figures, "losses.png"), "losses", "iteration (training steps)", "loss (batch mean)",
            new[] { Plots.Series(training, r => r.DLoss, "discriminator"), Plots.Series(training, r => r.GLoss, "generator") });
        var curves = Curves.Where(c => c.Value(final) is not null).ToList();
        foreach (var (file, title, unit, value) in curves)
            Plots.Lines(Path.Combine(figures, $"{file}.png"), title, "iteration (training steps)", unit, new[] { Plots.Series(evaluations, value, title) },
                integerY: file == "modes");
        if (clusterings.Count > 0)
            Plots.Lines(Path.Combine(figures, "clustering.png"), "re-clustering: samples that changed cluster", "iteration (training steps)", "samples or clusters (count)",
                new[] { Plots.Series(clusterings, r => r.Changed, "changed"), Plots.Series(clusterings, r => r.Nonempty, "non-empty clusters") }, integerY: true);

        var report = new HtmlReport($"Mnemo: {o.Method.Id()} GAN on {o.Dataset}", run.Root);
        report.Paragraph($"Profile {o.Profile}: {o.Iterations} iterations, batch {o.BatchSize}, " +
                         (o.Method == SelfCondMethod.Selfcond ? $"k = {o.K} clusters re-clustered every {o.ReclusterEvery} iterations on {o.ClusterSamples} real samples, " : "") +
                         $"Adam {o.LearningRate} (β = {o.Beta1}, {o.Beta2}), seed {o.Seed}; metrics on {o.EvalSamples} generated samples.");
        report.MetricsTable(final.Scalars());
        report.Heading("Evaluations during training");
        report.Table(new[] { "iteration" }.Concat(curves.Select(c => c.Title)).ToArray(),
            evaluations.Select(e => (IReadOnlyList<string>)new[] { e.Step.ToString() }.Concat(curves.Select(c => NumberText.Format(c.Value(e)))).ToArray()));
        report.Image("figures/real-vs-generated.png", "Real and generated samples");
        report.Image("figures/generated-by-cluster.png", "Generated samples by conditioning class");
        report.Image("images/samples.png", "Samples");
        foreach (var c in curves) report.Image($"figures/{c.File}.png", c.Title);
        report.Image("figures/clustering.png", "Re-clustering");
        report.Image("figures/losses.png", "Losses");
        report.Settings(o.ToJson(), run.DeviceHistory());
        return report.Save("report");
    }
}
