using Mnemo.Continual;
using Mnemo.LabelFree;
using Mnemo.Networks;
using Mnemo.Tests.Continual;
using static TorchSharp.torch;

namespace Mnemo.Tests.LabelFree;

/// <summary>Which critic a task's first clustering reads (<see cref="MerganOptions.FirstClustering"/>).</summary>
[Collection("training")]
public class TaskClusteringTests
{
    /// <summary>The critic whose features the second task's first clustering used (the clusterer's snapshot), with the
    /// model's critic trained a little first so that it differs from any fresh one.</summary>
    /// <returns>Also whether the global random source was left as it was (training's draws must not shift).</returns>
    static (float[] Snapshot, float[] Model, bool RandomSourceUntouched) SecondTaskFirstClustering(FirstClustering? first)
    {
        using var data = SyntheticData.Squares(4, 20, seed: 1);
        var options = ToyRuns.Options("lf-ra", 1, "0+1,2+3") with { FirstClustering = first, Seed = 3 };
        TorchSharp.torch.random.manual_seed(11);
        using var models = new MerganModels(options, 4, 1);
        using (no_grad())
            foreach (var p in models.Critic.parameters()) p.add_(1.0);
        var labels = Assert.IsType<ClusterLabels>(models.Labels);
        using var second = data.WhereClass(new[] { 2, 3 });
        labels.UseTaskData(1, second);
        using var before = TorchSharp.torch.random.get_rng_state();
        Assert.NotNull(labels.BeforeIteration(0, 1, models.Critic));
        using var after = TorchSharp.torch.random.get_rng_state();
        return (Flat(labels.Clusterer!.Snapshot), Flat(models.Critic), before.equal(after).all().item<bool>());
    }

    static float[] Flat(ConditionalCritic critic) =>
        critic.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    [Fact]
    public void ByDefaultEachTaskIsFirstClusteredOnAFreshSeededCriticWithoutDrawingFromTheGlobalRandomSource()
    {
        var (snapshot, model, untouched) = SecondTaskFirstClustering(first: null);
        Assert.NotEqual(model, snapshot);
        Assert.True(untouched);
        // The same fresh critic on every run with the same seed.
        Assert.Equal(snapshot, SecondTaskFirstClustering(FirstClustering.Random).Snapshot);
    }

    [Fact]
    public void WithCriticTheFirstClusteringReadsTheCriticTrainedSoFar()
    {
        var (snapshot, model, untouched) = SecondTaskFirstClustering(FirstClustering.Critic);
        Assert.Equal(model, snapshot);
        Assert.True(untouched);
    }
}
