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
            var (run, _) = Training.RunFolder.Open(dir);
            Console.WriteLine($"report: {Path.GetFullPath(ContinualReport.Write(run, options, ReadResults(dir)))}");
            return 0;
        }));
        var runs = new Argument<string[]>("runs") { Description = "Continual run folders", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for comparison.html/.csv/.json", Required = true };
        var compare = new Command("compare", "Put several continual runs side by side (Table 1 style, curves, per-task matrices)") { runs, output };
        compare.SetAction(r => MnemoCli.Guard(() =>
        {
            var dirs = r.GetValue(runs)!;
            var results = dirs.Select(ReadResults).ToList();
            var options = ContinualExperiment.ReadOptions(dirs[0]);
            Console.WriteLine($"comparison: {Path.GetFullPath(ContinualExperiment.WriteComparison(r.GetValue(output)!, options, results))}");
            return 0;
        }));
        report.Subcommands.Add(single);
        report.Subcommands.Add(compare);
        return report;
    }

    static ContinualResults ReadResults(string dir)
    {
        var path = Path.Combine(dir, "evaluation.json");
        return File.Exists(path) ? ContinualResults.FromJson(path) : throw new MnemoException($"{dir} has no evaluation.json (no task of a continual run finished yet).");
    }
}
