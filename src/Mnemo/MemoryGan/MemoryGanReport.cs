using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.MemoryGan;

/// <summary>Figures and report of a MemoryGAN run: losses, memory statistics over time, samples and slot grid.</summary>
public static class MemoryGanReport
{
    public static string Write(RunFolder run, MemoryGanOptions o, MemoryGanEvaluation final)
    {
        var figures = Path.Combine(run.Root, "figures");
        var training = run.Read<MemoryGanTrainingRecord>();
        Plots.Lines(Path.Combine(figures, "losses.png"), "losses", "iteration (training steps)", "loss (batch mean)", new[]
        {
            Plots.Series(training, r => r.DLoss, "discriminator"), Plots.Series(training, r => r.GLoss, "generator"), Plots.Series(training, r => r.Mi, "MI term"),
        });
        Plots.Lines(Path.Combine(figures, "memory.png"), "memory statistics", "iteration (training steps)", "share (0 to 1)", new[]
        {
            Plots.Series(training, r => r.MemoryRealFraction, "real-valued slots (share)"), Plots.Series(training, r => r.ReplacedShare, "queries that replaced a slot (share)"),
        });
        Plots.Lines(Path.Combine(figures, "slots-in-use.png"), "slots with histogram > 1e-3", "iteration (training steps)", "slots (count)",
            new[] { Plots.Series(training, r => r.SlotsInUse, "slots in use") }, integerY: true);
        Plots.Bars(Path.Combine(figures, "label-histogram.png"), "classifier labels of generated samples",
            Enumerable.Range(0, final.LabelHistogram.Length).Select(i => i.ToString()).ToArray(), final.LabelHistogram,
            "class (evaluation classifier's label)", "share of generated samples");

        var report = new HtmlReport($"Mnemo: MemoryGAN on {o.Dataset}{(o.Method == MemoryGanMethod.NoMemory ? " (no memory)" : "")}", run.Root);
        report.Paragraph($"Profile {o.Profile}: {o.Iterations} iterations, memory {o.MemorySize} slots × {o.KeyDim}, k = {o.TopK}, α = {o.Alpha}, " +
                         $"β = {o.Beta}, T = {o.EmIterations}, κ = {o.Kappa}, histogram update {o.HistogramUpdate.Id()}, {o.GeneratorLoss.Id()} generator loss, MI weight {o.MiWeight}, z {o.ZDim}, Adam {o.LearningRate} (β = {o.Beta1}, {o.Beta2}).");
        report.MetricsTable(final.Scalars());
        report.Image("images/memory-slots.png", "Generator's view of memory slots (rows: the most used real slots with distinct keys)");
        report.Image("images/samples.png", "Samples");
        report.Image("figures/label-histogram.png", "Classifier labels of generated samples");
        report.Image("figures/memory.png", "Memory statistics");
        report.Image("figures/slots-in-use.png", "Slots in use");
        report.Image("figures/losses.png", "Losses");
        report.Settings(o.ToJson(), run.DeviceHistory());
        return report.Save("report");
    }
}
