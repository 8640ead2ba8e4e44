using Mnemo.Continual;
using Mnemo.MemoryGan;
using Mnemo.SelfConditioned;
using Mnemo.Training;

namespace Mnemo;

/// <summary>Reports and comparisons of run folders of any system, told apart by the kind their folder carries
/// (<see cref="RunFolder.Kind"/>): what `mnemo report` runs.</summary>
public static class RunReports
{
    static readonly IRunReports[] Systems = [ContinualExperiment.Reports, SelfCondExperiment.Reports, MemoryGanExperiment.Reports];

    /// <summary>The system that wrote the run in <paramref name="runDir"/>.</summary>
    /// <exception cref="MnemoException">Not a run folder, or a kind this Mnemo does not know.</exception>
    public static IRunReports Of(string runDir)
    {
        var kind = RunFolder.Kind(runDir);
        return Systems.FirstOrDefault(s => s.Kind == kind)
               ?? throw new MnemoException($"{runDir} holds a '{kind}' run, which this Mnemo cannot report (it knows {string.Join(", ", Systems.Select(s => s.Kind))}).");
    }

    /// <summary>Rebuilds a run's report.html / report.md from its files; returns the HTML's path.</summary>
    public static string Report(string runDir) => Of(runDir).Report(runDir);

    /// <summary>Puts runs of one system side by side in <paramref name="outDir"/>; returns comparison.html's path.</summary>
    /// <exception cref="MnemoException">The runs come from different systems, or one cannot be read.</exception>
    public static string Compare(IReadOnlyList<string> runDirs, string outDir)
    {
        var systems = runDirs.Select(Of).ToList();
        if (systems.Distinct().Count() > 1)
            throw new MnemoException("report compare puts runs of one system side by side; these are " +
                                     string.Join(", ", runDirs.Zip(systems, (d, s) => $"{d} ({s.Name})")) + ".");
        return systems[0].Compare(runDirs, outDir);
    }
}
