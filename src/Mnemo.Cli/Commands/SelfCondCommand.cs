using System.CommandLine;
using Mnemo.SelfConditioned;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo selfcond`: the Self-Conditioned GAN and its baselines on the paper's benchmarks.</summary>
public static class SelfCondCommand
{
    public static Command Build()
    {
        var dataset = new Option<string>("--dataset") { Description = "ring, grid, stacked-mnist, cifar10 or folder:PATH", DefaultValueFactory = _ => "ring" };
        var method = new Option<string>("--method") { Description = "selfcond, unconditional or supervised (true labels)", DefaultValueFactory = _ => "selfcond" };
        var methods = new Option<string?>("--compare") { Description = "Run several methods side by side instead, e.g. selfcond,unconditional,supervised" };
        var k = new Option<int?>("--k") { Description = "Number of clusters (paper: 50 for 2-D, 100 for images)" };
        var profile = new Option<string>("--profile") { Description = "quick or paper", DefaultValueFactory = _ => "paper" };
        var iterations = new Option<int?>("--iterations") { Description = "Training iterations (paper: 100000 for 2-D)" };
        var recluster = new Option<int?>("--recluster-every") { Description = "Iterations between re-clusterings" };
        var clusterSamples = new Option<int?>("--cluster-samples") { Description = "Real samples that are clustered" };
        var evalSamples = new Option<int?>("--eval-samples") { Description = "Generated samples per evaluation" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Iterations between checkpoints (2-D default 5000, images 500/2000)" };
        var inception = new Option<string?>("--inception") { Description = "InceptionV3 weights for FID/IS on image folders and CIFAR-10 (else classifier features)" };
        var output = new Option<string?>("--out") { Description = "New run folder (default runs/selfcond-<dataset>-<time>)" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var root = CommonOptions.DataRoot();
        var command = new Command("selfcond", "Self-Conditioned GAN: classes are k-means clusters of discriminator features")
            { dataset, method, methods, k, profile, iterations, recluster, clusterSamples, evalSamples, checkpointEvery, inception, output, resume, seed, threads, root };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            Progress.Run(progress =>
            {
                if (r.GetValue(resume) is { } dir)
                {
                    SelfCondExperiment.Resume(dir, progress);
                    progress.Message($"report: {Path.GetFullPath(Path.Combine(dir, "report.html"))}");
                    return;
                }
                var o = SelfCondOptions.ForProfile(r.GetValue(profile)!, r.GetValue(dataset)!, r.GetValue(method)!) with
                {
                    Seed = r.GetValue(seed), Threads = r.GetValue(threads),
                };
                if (r.GetValue(k) is { } kk) o = o with { K = kk };
                if (r.GetValue(iterations) is { } it) o = o with { Iterations = it };
                if (r.GetValue(recluster) is { } rc) o = o with { ReclusterEvery = rc };
                if (r.GetValue(clusterSamples) is { } cs) o = o with { ClusterSamples = cs };
                if (r.GetValue(checkpointEvery) is { } ce) o = o with { CheckpointEvery = ce };
                if (r.GetValue(evalSamples) is { } es) o = o with { EvalSamples = es, EvalEvery = o.EvalEvery };
                o.Validate();
                var dataRoot = CommonOptions.ResolveRoot(r.GetValue(root));
                var outDir = r.GetValue(output) ?? Path.Combine("runs", $"selfcond-{o.Dataset.Replace(':', '_').Replace('/', '_')}-{DateTime.Now:yyyyMMdd-HHmmss}");
                if (r.GetValue(methods) is { } list)
                {
                    var path = SelfCondExperiment.Compare(o, list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), outDir, dataRoot, progress);
                    progress.Message($"comparison: {Path.GetFullPath(path)}");
                }
                else
                {
                    SelfCondExperiment.Start(o, outDir, dataRoot, progress, r.GetValue(inception));
                    progress.Message($"report: {Path.GetFullPath(Path.Combine(outDir, "report.html"))}");
                }
            });
            return 0;
        }));
        return command;
    }
}
