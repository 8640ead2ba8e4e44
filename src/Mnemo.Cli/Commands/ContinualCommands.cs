using System.CommandLine;
using Mnemo.Continual;
using Mnemo.Training;
using Mnemo.Visualization;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo continual`: MeRGAN-family continual learning runs and comparisons.</summary>
public static class ContinualCommands
{
    /// <summary>The settings options of a continual run, shared by `continual` and `continual compare`.</summary>
    sealed class RunOptions
    {
        public readonly TrainingCommand Common = new("mnist", "mnist, fashion-mnist, svhn, cifar10 or folder:PATH", "<method>");
        public readonly Option<string> Tasks = new("--tasks") { Description = "Task sequence: \"0-9\" (one class per task), \"0,1,2\", \"0+1,2+3\"", DefaultValueFactory = _ => "0-9" };
        public readonly Option<int?> Iterations = new("--iterations-per-task") { Description = "Generator iterations per task (profile default: paper 4001 for MNIST; quick 500 per class of the largest task)" };
        public readonly Option<int?> BatchSize = new("--batch-size") { Description = "Batch size (default 64)" };
        public readonly Option<int?> CriticIterations = new("--critic-iterations") { Description = "Critic steps per generator step (paper 5)" };
        public readonly Option<double?> LearningRate = new("--lr") { Description = "Adam learning rate for G and D (paper 1e-4)" };
        public readonly Option<double?> CriticLearningRate = new("--critic-lr") { Description = "The critic's Adam learning rate if it should differ from --lr (two time-scale updates; paper: same)" };
        public readonly Option<string?> CriticPrecision = new("--critic-precision") { Description = "float32 (paper) or bfloat16: the critic's convolutions in bfloat16 on float32 weights (faster on AVX-512 BF16 CPUs)" };
        public readonly Option<double?> RaFactor = new("--ra-factor") { Description = "Replay-alignment weight (paper: 1e-3 MNIST, 1e-2 SVHN)" };
        public readonly Option<string?> RaWeighting = new("--ra-weighting") { Description = "How replay alignment weighs the earlier classes: divided-by-earlier-classes (paper) or same-every-task" };
        public readonly Option<double?> GeneratorEma = new("--generator-ema") { Description = "Decay of a moving average of the generator's weights that is evaluated and replayed, e.g. 0.99 (paper: none)" };
        public readonly Option<double?> EwcLambda = new("--ewc-lambda") { Description = "EWC strength λ" };
        public readonly Option<int?> EvalSamples = new("--eval-samples") { Description = "Generated images per class (label-free: per cluster) for the accuracy matrix" };
        public readonly Option<int?> ReverseSamples = new("--reverse-samples") { Description = "Generated images per class (label-free: per cluster) that train the reverse-accuracy classifier after the last task; 0 skips reverse accuracy (profile default: paper 2000, quick 1000)" };
        public readonly Option<int?> ClustersPerTask = new("--clusters-per-task") { Description = "Label-free methods: clusters each task's images get (default: the largest number of classes in a task)" };
        public readonly Option<int?> ReclusterEvery = new("--recluster-every") { Description = "Label-free methods: iterations between re-clusterings of a task's images (default: a quarter of a task)" };
        public readonly Option<int?> ClusterSamples = new("--cluster-samples") { Description = $"Label-free methods: real images of a task that k-means clusters (default {MerganOptions.DefaultClusterSamples})" };
        public readonly Option<string?> ReplayClassification = new("--replay-classification") { Description = "lf-ra: weight of the critic's classification of the replayed clusters: per-cluster (each earlier cluster as each new one, default) or batch (the replay batch as the real batch)" };
        public readonly Option<string?> FirstClustering = new("--first-clustering") { Description = "Label-free methods: features of each task's first clustering: random (a fresh critic, default) or critic (the critic trained on the earlier tasks)" };

        public void AddTo(Command c, bool runFolder)
        {
            Common.AddTo(c, runFolder);
            foreach (var o in new Option[] { Tasks, Iterations, BatchSize, CriticIterations, LearningRate, CriticLearningRate, CriticPrecision, RaFactor, RaWeighting, GeneratorEma, EwcLambda, EvalSamples,
                         ReverseSamples, ClustersPerTask, ReclusterEvery, ClusterSamples, FirstClustering, ReplayClassification })
                c.Options.Add(o);
        }

        /// <summary>The settings of one run of <paramref name="method"/>, validated: label-free options given with a
        /// method with labels are refused.</summary>
        public MerganOptions Resolve(ParseResult r, ContinualMethod method)
        {
            var o = ResolveAll(r, method);
            o.Validate();
            return o;
        }

        /// <summary>Every option given, the label-free ones kept whatever the method (a comparison gives each method
        /// its own with <see cref="MerganOptions.ForMethod"/>).</summary>
        public MerganOptions ResolveAll(ParseResult r, ContinualMethod method)
        {
            var o = MerganOptions.ForProfile(r.GetValue(Common.Profile)!, r.GetValue(Common.Dataset)!, r.GetValue(Tasks)!) with
            {
                Method = method, Seed = r.GetValue(Common.Seed), Threads = r.GetValue(Common.Threads),
            };
            if (r.GetValue(Iterations) is { } it) o = o with { IterationsPerTask = it };
            if (r.GetValue(BatchSize) is { } bs) o = o with { BatchSize = bs };
            if (r.GetValue(CriticIterations) is { } ci) o = o with { CriticIterations = ci };
            if (r.GetValue(LearningRate) is { } lr) o = o with { LearningRate = lr };
            if (r.GetValue(CriticLearningRate) is { } clr) o = o with { CriticLearningRate = clr };
            if (r.GetValue(CriticPrecision) is { } cp) o = o with { CriticPrecision = EnumIds.Parse<ComputePrecision>(cp, "precision") };
            if (r.GetValue(RaFactor) is { } ra) o = o with { RaFactor = ra };
            if (r.GetValue(RaWeighting) is { } rw) o = o with { RaWeighting = EnumIds.Parse<Mnemo.Losses.ReplayAlignmentWeighting>(rw) };
            if (r.GetValue(GeneratorEma) is { } ema) o = o with { GeneratorEmaDecay = ema };
            if (r.GetValue(EwcLambda) is { } ewc) o = o with { EwcLambda = ewc };
            if (r.GetValue(EvalSamples) is { } ev) o = o with { EvalSamplesPerClass = ev };
            if (r.GetValue(ReverseSamples) is { } rs) o = o with { ReverseSamplesPerClass = rs };
            if (r.GetValue(ClustersPerTask) is { } k) o = o with { ClustersPerTask = k };
            if (r.GetValue(ReclusterEvery) is { } re) o = o with { ReclusterEvery = re };
            if (r.GetValue(ClusterSamples) is { } cs) o = o with { ClusterSamples = cs };
            if (r.GetValue(FirstClustering) is { } fc) o = o with { FirstClustering = EnumIds.Parse<FirstClustering>(fc, "first clustering") };
            if (r.GetValue(ReplayClassification) is { } rc) o = o with { ReplayClassification = EnumIds.Parse<ReplayClassificationWeighting>(rc, "replay classification") };
            return o;
        }
    }

    public static Command Build()
    {
        var run = new RunOptions();
        var method = new Option<string>("--method") { Description = "jt, sft, ewc, dgr, jtr or ra; label-free (no class labels, self-conditioned clusters): lf-sft, lf-ra, lf-jtr or lf-dgr (DGR's unconditional generator, its solver trained on clusters)", DefaultValueFactory = _ => "ra" };
        var continual = new Command("continual", "Learn classes one task at a time with a MeRGAN-family method; evaluates after every task");
        run.AddTo(continual, runFolder: true);
        continual.Options.Add(method);
        continual.SetAction(r => run.Common.StartOrResume(r,
            () => run.Resolve(r, ContinualMethods.Parse(r.GetValue(method)!)),
            o => TrainingCommand.DefaultFolder(o.Method.Id()),
            ContinualExperiment.Start, ContinualExperiment.Resume,
            (results, progress) => progress.Message($"final average accuracy {results.FinalAverageAccuracy:P1}; reverse accuracy {results.ReverseAccuracy:P1}")));
        continual.Subcommands.Add(BuildCompare());
        return continual;
    }

    static Command BuildCompare()
    {
        var run = new RunOptions();
        var methods = new Option<string>("--methods") { Description = "Comma-separated methods", DefaultValueFactory = _ => "jt,sft,ewc,dgr,jtr,ra" };
        var output = new Option<string>("--out") { Description = "Folder for the comparison (one sub-folder per method)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Keep finished methods in --out and resume unfinished ones (refused if their settings differ)" };
        var compare = new Command("compare", "Run several methods with the same settings and seed and write a Table-1-style comparison");
        run.AddTo(compare, runFolder: false);
        compare.Options.Add(methods);
        compare.Options.Add(output);
        compare.Options.Add(resume);
        compare.SetAction(r => MnemoCli.Guard(() =>
        {
            var list = EnumIds.ParseList<ContinualMethod>(r.GetValue(methods)!);
            var options = run.ResolveAll(r, list[0]);
            foreach (var m in list) options.ForMethod(m).Validate();
            using var tensorBoard = run.Common.TensorBoardChoice(r);
            Progress.Run(progress =>
            {
                var (path, results) = ContinualExperiment.Compare(options, list, r.GetValue(output)!, run.Common.DataRoot(r), progress, r.GetValue(resume), r.GetValue(run.Common.Device));
                PrintFinal(results, progress);
                progress.Message($"comparison: {Path.GetFullPath(path)}");
            });
            return 0;
        }));
        return compare;
    }

    /// <summary>One line per method: its average accuracy on generated images after the last task (compare, demo).</summary>
    internal static void PrintFinal(IEnumerable<ContinualResults> results, IProgressReporter progress)
    {
        foreach (var r in results)
            progress.Message($"{r.Method.DisplayName(),-24} final average accuracy on generated images after {r.AverageAccuracy.Count} tasks: " +
                             NumberText.Format(r.FinalAverageAccuracy, "0.0%"));
    }
}
