using System.CommandLine;
using Mnemo.Continual;
using Mnemo.Data;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo continual`: MeRGAN-family continual learning runs and comparisons.</summary>
public static class ContinualCommands
{
    sealed class RunOptions
    {
        public readonly Option<string> Dataset = new("--dataset") { Description = "mnist, fashion-mnist, svhn, cifar10 or folder:PATH", DefaultValueFactory = _ => "mnist" };
        public readonly Option<string> Tasks = new("--tasks") { Description = "Task sequence: \"0-9\" (one class per task), \"0,1,2\", \"0+1,2+3\"", DefaultValueFactory = _ => "0-9" };
        public readonly Option<string> Profile = new("--profile") { Description = "quick (minutes on a CPU) or paper (the official schedule)", DefaultValueFactory = _ => "paper" };
        public readonly Option<int?> Iterations = new("--iterations-per-task") { Description = "Generator iterations per task (profile default: paper 4001 for MNIST)" };
        public readonly Option<int?> BatchSize = new("--batch-size") { Description = "Batch size (default 64)" };
        public readonly Option<int?> CriticIterations = new("--critic-iterations") { Description = "Critic steps per generator step (paper 5)" };
        public readonly Option<double?> LearningRate = new("--lr") { Description = "Adam learning rate for G and D (paper 1e-4)" };
        public readonly Option<double?> RaFactor = new("--ra-factor") { Description = "Replay-alignment weight (paper: 1e-3 MNIST, 1e-2 SVHN)" };
        public readonly Option<double?> EwcLambda = new("--ewc-lambda") { Description = "EWC strength λ" };
        public readonly Option<int?> EvalSamples = new("--eval-samples") { Description = "Generated images per class for the accuracy matrix" };
        public readonly Option<int> Seed = CommonOptions.Seed();
        public readonly Option<int?> Threads = CommonOptions.Threads();
        public readonly Option<string?> Root = CommonOptions.DataRoot();

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Dataset, Tasks, Profile, Iterations, BatchSize, CriticIterations, LearningRate, RaFactor, EwcLambda, EvalSamples, Seed, Threads, Root })
                c.Options.Add(o);
        }

        public MerganOptions Resolve(ParseResult r, string method)
        {
            var o = MerganOptions.ForProfile(r.GetValue(Profile)!, r.GetValue(Dataset)!) with
            {
                Method = method,
                Tasks = r.GetValue(Tasks)!,
                Seed = r.GetValue(Seed),
                Threads = r.GetValue(Threads),
            };
            if (r.GetValue(Iterations) is { } it) o = o with { IterationsPerTask = it };
            if (r.GetValue(BatchSize) is { } bs) o = o with { BatchSize = bs };
            if (r.GetValue(CriticIterations) is { } ci) o = o with { CriticIterations = ci };
            if (r.GetValue(LearningRate) is { } lr) o = o with { LearningRate = lr };
            if (r.GetValue(RaFactor) is { } ra) o = o with { RaFactor = ra };
            if (r.GetValue(EwcLambda) is { } ewc) o = o with { EwcLambda = ewc };
            if (r.GetValue(EvalSamples) is { } ev) o = o with { EvalSamplesPerClass = ev };
            o.Validate();
            return o;
        }
    }

    public static Command Build()
    {
        var run = new RunOptions();
        var method = new Option<string>("--method") { Description = "jt, sft, ewc, dgr, jtr or ra", DefaultValueFactory = _ => "ra" };
        var output = new Option<string?>("--out") { Description = "New run folder (default runs/<method>-<time>)" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last checkpoint" };
        var continual = new Command("continual", "Learn classes one task at a time with a MeRGAN-family method; evaluates after every task");
        run.AddTo(continual);
        continual.Options.Add(method);
        continual.Options.Add(output);
        continual.Options.Add(resume);
        continual.SetAction(r => MnemoCli.Guard(() =>
        {
            int code = 0;
            Progress.Run(progress =>
            {
                ContinualResults results;
                string dir;
                if (r.GetValue(resume) is { } resumeDir)
                {
                    dir = resumeDir;
                    results = ContinualExperiment.Resume(resumeDir, r.GetValue(run.Root) is { } root ? DataRoot.Resolve(root) : null, progress);
                }
                else
                {
                    var options = run.Resolve(r, ContinualMethods.Parse(r.GetValue(method)!).Id());
                    dir = r.GetValue(output) ?? Path.Combine("runs", $"{options.Method}-{DateTime.Now:yyyyMMdd-HHmmss}");
                    results = ContinualExperiment.Start(options, dir, CommonOptions.ResolveRoot(r.GetValue(run.Root)), progress);
                }
                progress.Message($"final average accuracy {results.FinalAverageAccuracy:P1}; reverse accuracy {results.ReverseAccuracy:P1}");
                progress.Message($"report: {Path.GetFullPath(Path.Combine(dir, "report.html"))}");
            });
            return code;
        }));

        var compareRun = new RunOptions();
        var methods = new Option<string>("--methods") { Description = "Comma-separated methods", DefaultValueFactory = _ => "jt,sft,ewc,dgr,jtr,ra" };
        var compareOut = new Option<string>("--out") { Description = "Folder for the comparison (one sub-folder per method)", Required = true };
        var compareResume = new Option<bool>("--resume") { Description = "Keep finished methods in --out and resume unfinished ones" };
        var compare = new Command("compare", "Run several methods with the same settings and seed and write a Table-1-style comparison");
        compareRun.AddTo(compare);
        compare.Options.Add(methods);
        compare.Options.Add(compareOut);
        compare.Options.Add(compareResume);
        compare.SetAction(r => MnemoCli.Guard(() =>
        {
            var list = r.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ContinualMethods.Parse).Distinct().ToList();
            var options = compareRun.Resolve(r, list[0].Id());
            Progress.Run(progress =>
            {
                var path = ContinualExperiment.Compare(options, list, r.GetValue(compareOut)!, CommonOptions.ResolveRoot(r.GetValue(compareRun.Root)), progress, r.GetValue(compareResume));
                progress.Message($"comparison: {Path.GetFullPath(path)}");
            });
            return 0;
        }));
        continual.Subcommands.Add(compare);
        return continual;
    }
}
