using Mnemo.LabelFree;

namespace Mnemo.Tests.LabelFree;

public class ClusterAgreementTests
{
    [Fact]
    public void ARenamedClusteringAgreesPerfectly()
    {
        var classes = new long[] { 0, 0, 1, 1, 2, 2 };
        var clusters = new long[] { 7, 7, 3, 3, 5, 5 };
        var a = ClusterAgreement.Of(clusters, classes);
        Assert.Equal(1, a.Accuracy, 12);
        Assert.Equal(1, a.Nmi, 12);
        Assert.Equal(1, a.Purity, 12);
    }

    [Fact]
    public void KnownValuesMatchSklearnsDefinitions()
    {
        // sklearn.metrics.normalized_mutual_info_score([0,0,0,1,1,1], [0,0,1,1,1,2]) = 0.43987 (arithmetic mean).
        var a = ClusterAgreement.Of(new long[] { 0, 0, 1, 1, 1, 2 }, new long[] { 0, 0, 0, 1, 1, 1 });
        Assert.Equal(0.43986950051, a.Nmi, 9);
        Assert.Equal(5.0 / 6, a.Purity, 12);   // cluster 0 → class 0 (2), cluster 1 → class 1 (2 of 3), cluster 2 → class 1 (1)
        Assert.Equal(4.0 / 6, a.Accuracy, 12); // one-to-one: cluster 0 → 0, cluster 1 → 1; cluster 2 unmatched
    }

    [Fact]
    public void ExtraClustersTakeTheirMajorityClassWhenMatchingClustersToClasses()
    {
        // Rows: clusters, columns: classes.
        var counts = new double[,] { { 9, 1 }, { 2, 8 }, { 7, 3 } };
        Assert.Equal(new[] { 0, 1, 0 }, ClusterAgreement.ClassOfEachCluster(counts));
        Assert.Equal(new[] { 0, 1, -1 }, ClusterAgreement.OneToOne(counts));
        // Fewer clusters than classes: each cluster its own class.
        Assert.Equal(new[] { 2, 0 }, ClusterAgreement.OneToOne(new double[,] { { 1, 0, 5 }, { 4, 0, 4 } }));
    }

    [Fact]
    public void BadInputIsRefused()
    {
        Assert.Throws<ArgumentException>(() => ClusterAgreement.Of(new long[] { 0 }, new long[] { 0, 1 }));
        Assert.Throws<ArgumentException>(() => ClusterAgreement.Of(Array.Empty<long>(), Array.Empty<long>()));
    }
}
