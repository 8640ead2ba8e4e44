using Mnemo.Continual;
using Mnemo.Training;

namespace Mnemo.Tests.LabelFree;

public class LabelFreeSettingsTests
{
    [Fact]
    public void LabelFreeSettingsAreRefusedForMethodsWithLabelsAndDroppedForThemInAComparison()
    {
        var options = new MerganOptions { Method = ContinualMethod.LfRa, Tasks = "0+1,2+3", ClustersPerTask = 3, ReclusterEvery = 50 };
        options.Validate();
        var error = Assert.Throws<MnemoException>(() => (options with { Method = ContinualMethod.Ra }).Validate());
        Assert.Contains("--clusters-per-task", error.Message);
        var labelled = options.ForMethod(ContinualMethod.Ra);
        labelled.Validate();
        Assert.Null(labelled.ClustersPerTask);
        // A method with labels keeps the fingerprint it had before the label-free settings existed.
        Assert.Equal(RunSettings.Fingerprint(new MerganOptions { Tasks = "0+1,2+3" }), RunSettings.Fingerprint(labelled));
        Assert.Equal(3, options.ForMethod(ContinualMethod.LfSft).ClustersPerTask);
        var critic = options with { FirstClustering = FirstClustering.Critic };
        Assert.Contains("--first-clustering", Assert.Throws<MnemoException>(() => (critic with { Method = ContinualMethod.Ra }).Validate()).Message);
        Assert.Null(critic.ForMethod(ContinualMethod.Ra).FirstClustering);
    }

    [Fact]
    public void ReplayClassificationWeightingBelongsToLabelFreeRaOnly()
    {
        var options = new MerganOptions { Method = ContinualMethod.LfRa, Tasks = "0+1,2+3", ReplayClassification = ReplayClassificationWeighting.PerCluster };
        options.Validate();
        Assert.Equal("per-cluster", (string)options.ToJson()["ReplayClassification"]!);
        Assert.Equal(ReplayClassificationWeighting.PerCluster, new MerganOptions().EffectiveReplayClassification);
        foreach (var method in new[] { ContinualMethod.LfSft, ContinualMethod.LfJtr, ContinualMethod.Ra })
        {
            var error = Assert.Throws<MnemoException>(() => (options with { Method = method }).Validate());
            Assert.Contains("--replay-classification", error.Message);
            Assert.Null(options.ForMethod(method).ReplayClassification);
        }
        Assert.Equal(ReplayClassificationWeighting.PerCluster, options.ForMethod(ContinualMethod.LfRa).ReplayClassification);
        // Unset, it is not written: earlier label-free runs keep their fingerprint.
        Assert.False(new MerganOptions { Method = ContinualMethod.LfRa }.ToJson().ContainsKey("ReplayClassification"));
    }

    [Fact]
    public void BadClusterSettingsGiveOneClearError()
    {
        var o = new MerganOptions { Method = ContinualMethod.LfSft };
        Assert.Contains("--clusters-per-task", Assert.Throws<MnemoException>(() => (o with { ClustersPerTask = 0 }).Validate()).Message);
        Assert.Contains("--recluster-every", Assert.Throws<MnemoException>(() => (o with { ReclusterEvery = 0 }).Validate()).Message);
        Assert.Contains("--cluster-samples", Assert.Throws<MnemoException>(() => (o with { ClustersPerTask = 5, ClusterSamples = 4 }).Validate()).Message);
    }

    [Fact]
    public void MethodIdsAndKinds()
    {
        Assert.Equal(ContinualMethod.LfRa, ContinualMethods.Parse("lf-ra"));
        Assert.Equal("lf-jtr", ContinualMethod.LfJtr.Id());
        Assert.True(ContinualMethod.LfRa.AlignsReplay() && ContinualMethod.LfRa.UsesReplayGenerator() && ContinualMethod.LfRa.IsLabelFree());
        Assert.True(ContinualMethod.LfJtr.TrainsOnReplay() && !ContinualMethod.LfSft.UsesReplayGenerator());
        Assert.False(ContinualMethod.Ra.IsLabelFree());
        Assert.Equal(ContinualMethod.LfDgr, ContinualMethods.Parse("lf-dgr"));
        var dgr = ContinualMethod.LfDgr;
        Assert.True(dgr.IsLabelFree() && dgr.UsesReplayGenerator() && !dgr.AlignsReplay() && !dgr.TrainsOnReplay() && !dgr.ClassifiesReplay());
        Assert.Equal("lf-sft, lf-ra, lf-jtr, lf-dgr", ContinualMethods.LabelFreeIds);
    }
}
