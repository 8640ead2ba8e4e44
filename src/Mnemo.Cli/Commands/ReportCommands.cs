using System.CommandLine;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo report`: rebuild a run's report, or put several runs side by side (any system's run folders).</summary>
public static class ReportCommands
{
    public static Command Build()
    {
        var report = new Command("report", "Build HTML reports from finished runs of any system");
        var runDir = new Argument<string>("run") { Description = "A run folder (continual, selfcond or memorygan)" };
        var single = new Command("run", "Rebuild one run's report.html / report.md from its files") { runDir };
        single.SetAction(r => MnemoCli.Guard(() =>
        {
            Console.WriteLine($"report: {Path.GetFullPath(RunReports.Report(r.GetValue(runDir)!))}");
            return 0;
        }));
        var runs = new Argument<string[]>("runs") { Description = "Run folders of one system", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for comparison.html/.csv", Required = true };
        var compare = new Command("compare",
            "Put several runs of one system side by side; runs whose settings differ besides the method are headed by what differs and each row names its values")
            { runs, output };
        compare.SetAction(r => MnemoCli.Guard(() =>
        {
            Console.WriteLine($"comparison: {Path.GetFullPath(RunReports.Compare(r.GetValue(runs)!, r.GetValue(output)!))}");
            return 0;
        }));
        report.Subcommands.Add(single);
        report.Subcommands.Add(compare);
        return report;
    }
}
