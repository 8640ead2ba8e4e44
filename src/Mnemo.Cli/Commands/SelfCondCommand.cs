using System.CommandLine;
using Mnemo.SelfConditioned;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo selfcond`: the Self-Conditioned GAN and its baselines on the paper's benchmarks.</summary>
public static class SelfCondCommand
{
    public static Command Build()
    {
        var common = new TrainingCommand("ring", "ring, grid, stacked-mnist, cifar10 or folder:PATH", "selfcond-<dataset>");
        var method = new Option<string>("--method") { Description = "selfcond, unconditional or supervised (true labels)", DefaultValueFactory = _ => "selfcond" };
        var methods = new Option<string?>("--compare") { Description = "Run several methods side by side instead, e.g. selfcond,unconditional,supervised" };
        var k = new Option<int?>("--k") { Description = "Number of clusters (paper: 50 for 2-D, 100 for images)" };
        var iterations = new Option<int?>("--iterations") { Description = "Training iterations (paper: 100000 for 2-D)" };
        var recluster = new Option<int?>("--recluster-every") { Description = "Iterations between re-clusterings" };
        var clusterSamples = new Option<int?>("--cluster-samples") { Description = "Real samples that are clustered" };
        var evalSamples = new Option<int?>("--eval-samples") { Description = "Generated samples per evaluation" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Iterations between checkpoints (2-D default 5000, images 500/2000)" };
        var inception = new Option<string?>("--inception") { Description = "InceptionV3 weights for FID/IS on image folders and CIFAR-10 (else classifier features)" };
        var command = new Command("selfcond", "Self-Conditioned GAN: classes are k-means clusters of discriminator features")
            { method, methods, k, iterations, recluster, clusterSamples, evalSamples, checkpointEvery, inception };
        common.AddTo(command);

        SelfCondOptions Resolve(ParseResult r)
        {
            var o = SelfCondOptions.ForProfile(r.GetValue(common.Profile)!, r.GetValue(common.Dataset)!, EnumIds.Parse<SelfCondMethod>(r.GetValue(method)!)) with
            {
                Seed = r.GetValue(common.Seed), Threads = r.GetValue(common.Threads), InceptionWeights = r.GetValue(inception),
            };
            if (r.GetValue(k) is { } kk) o = o with { K = kk };
            if (r.GetValue(iterations) is { } it) o = o with { Iterations = it };
            if (r.GetValue(recluster) is { } rc) o = o with { ReclusterEvery = rc };
            if (r.GetValue(clusterSamples) is { } cs) o = o with { ClusterSamples = cs };
            if (r.GetValue(checkpointEvery) is { } ce) o = o with { CheckpointEvery = ce };
            if (r.GetValue(evalSamples) is { } es) o = o with { EvalSamples = es };
            o.Validate();
            return o;
        }

        command.SetAction(r =>
        {
            if (r.GetValue(methods) is not { } list || r.GetValue(common.Resume) is not null)
                return common.StartOrResume(r, () => Resolve(r), o => TrainingCommand.DefaultFolder($"selfcond-{o.Dataset}"),
                    SelfCondExperiment.Start, SelfCondExperiment.Resume, (final, progress) => TrainingCommand.PrintFinal(final.Scalars(), progress));
            return MnemoCli.Guard(() =>
            {
                var o = Resolve(r);
                var variants = EnumIds.ParseList<SelfCondMethod>(list);
                var outDir = r.GetValue(common.Out) ?? TrainingCommand.DefaultFolder($"selfcond-{o.Dataset}");
                using var tensorBoard = common.TensorBoardChoice(r);
                Progress.Run(progress => progress.Message($"comparison: {Path.GetFullPath(SelfCondExperiment.Compare(o, variants, outDir, common.DataRoot(r), progress, r.GetValue(common.Device)))}"));
                return 0;
            });
        });
        return command;
    }
}
