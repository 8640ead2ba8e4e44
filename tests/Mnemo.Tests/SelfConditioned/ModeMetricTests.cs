using Mnemo.Data;
using Mnemo.Evaluation;

namespace Mnemo.Tests.SelfConditioned;

public class ModeMetricTests
{
    static float[] AtModes(Mixture2D m, IEnumerable<int> modes, double offset = 0) =>
        modes.SelectMany(k => new[] { (float)(m.Means[k, 0] + offset), (float)m.Means[k, 1] }).ToArray();

    [Fact]
    public void AllModesEvenlyCoveredIsPerfect()
    {
        var ring = Mixture2D.Ring();
        var (modes, hq, kl) = ModeMetrics.Mixture(ring, AtModes(ring, Enumerable.Range(0, 800).Select(i => i % 8)));
        Assert.Equal((8, 1.0), (modes, hq));
        Assert.Equal(0, kl, 12);
    }

    [Fact]
    public void OneModeGivesLogKReverseKl()
    {
        var grid = Mixture2D.Grid();
        var (modes, hq, kl) = ModeMetrics.Mixture(grid, AtModes(grid, Enumerable.Repeat(7, 100)));
        Assert.Equal((1, 1.0), (modes, hq));
        Assert.Equal(Math.Log(25), kl, 9); // KL(δ ‖ uniform over 25) = ln 25
    }

    [Fact]
    public void FarPointsAreNotHighQualityButStillCountInTheHistogram()
    {
        var ring = Mixture2D.Ring();
        // Half the samples on mode 0, half 4σ away from mode 1 (still nearest to it).
        var points = AtModes(ring, Enumerable.Repeat(0, 50)).Concat(AtModes(ring, Enumerable.Repeat(1, 50), offset: 4 * ring.Std)).ToArray();
        var (modes, hq, kl) = ModeMetrics.Mixture(ring, points);
        Assert.Equal(1, modes);
        Assert.Equal(0.5, hq, 12);
        Assert.Equal(Math.Log(4), kl, 9); // two modes at ½: Σ ½ ln(½·8) = ln 4
    }

    [Fact]
    public void ImageModesUseLog10()
    {
        var (modes, kl) = ModeMetrics.Predicted(new long[] { 5, 5, 5, 5 }, 1000);
        Assert.Equal(1, modes);
        Assert.Equal(3, kl, 9); // log10(1000)
    }

    [Fact]
    public void MixturesMatchTheReferenceGeometry()
    {
        var ring = Mixture2D.Ring();
        Assert.Equal(8, ring.Modes);
        Assert.Equal(2, Math.Sqrt(ring.Means[3, 0] * ring.Means[3, 0] + ring.Means[3, 1] * ring.Means[3, 1]), 9);
        var grid = Mixture2D.Grid();
        Assert.Equal((-4.0, 4.0), (grid.Means[4, 0], grid.Means[4, 1]));
        var (points, modes) = grid.Sample(1000, new Random(1));
        Assert.Equal(new long[] { 1000, 2 }, points.shape);
        Assert.Equal(25, modes.Distinct().Count());
    }
}
