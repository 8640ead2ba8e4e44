using System.CommandLine;
using Mnemo.Continual;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo report`: rebuild a run's report, or put several runs side by side.</summary>
public static class ReportCommands
{
    public static Command Build()
    {
        var report = new Command("report", "Build HTML reports from finished runs");

        var runDir = new Argument<string>("run") { Description = "A continual run folder" };
        var single = new Command("run", "Rebuild one run's report.html / report.md from its files") { runDir };
        single.SetAction(r => MnemoCli.Guard(() =>
        {
            var dir = r.GetValue(runDir)!;
            var options = ContinualExperiment.ReadOptions(dir);
            var evaluation = Path.Combine(dir, "evaluation.json");
            if (!File.Exists(evaluation)) throw new MnemoException($"{dir} has no evaluation.json yet (no task finished).");
            var (run, _) = Training.RunFolder.Open(dir);
            Console.WriteLine($"report: {Path.GetFullPath(ContinualReport.Write(run, options, ContinualResults.FromJson(evaluation)))}");
            return 0;
        }));

        var runs = new Argument<string[]>("runs") { Description = "Continual run folders", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for comparison.html/.csv/.json", Required = true };
        var compare = new Command("compare", "Put several continual runs side by side (Table 1 style, curves, per-task matrices)") { runs, output };
        compare.SetAction(r => MnemoCli.Guard(() =>
        {
            var dirs = r.GetValue(runs)!;
            var results = dirs.Select(d =>
            {
                var path = Path.Combine(d, "evaluation.json");
                if (!File.Exists(path)) throw new MnemoException($"{d} has no evaluation.json (not a finished continual run).");
                return ContinualResults.FromJson(path);
            }).ToList();
            var options = ContinualExperiment.ReadOptions(dirs[0]);
            var outDir = r.GetValue(output)!;
            Console.WriteLine($"comparison: {Path.GetFullPath(ContinualExperiment.WriteComparison(outDir, options, results))}");
            return 0;
        }));

        report.Subcommands.Add(single);
        report.Subcommands.Add(compare);
        return report;
    }
}
