using Mnemo.Sweeps;

namespace Mnemo.Tests.Sweeps;

/// <summary>Aggregation: mean ± sample standard deviation over seeds, the table layout, and runs left out flagged.</summary>
public class SweepSummaryTests
{
    static readonly SweepGrid Grid = SweepGrid.Parse("""
        { "system": "continual", "axes": { "method": ["ra", "sft"], "tasks": ["0-9", "0+1"], "seed": [1, 2, 3] } }
        """, "g");

    /// <summary>Finished runs measuring <paramref name="accuracy"/>(point), except the given states.</summary>
    static SweepSummary Summary(Func<GridPoint, double> accuracy, Dictionary<string, PointState>? states = null) =>
        SweepSummary.Of(Grid, new ContinualSweepResults(), Grid.Expand().Select(p =>
        {
            var state = states?.GetValueOrDefault(p.Name) ?? PointState.Finished;
            var values = state == PointState.Finished
                ? new Dictionary<SweepMetric, double?> { [ContinualSweepResults.Accuracy] = accuracy(p), [ContinualSweepResults.ReverseAccuracy] = 0.5, [ContinualSweepResults.Fid] = null }
                : new Dictionary<SweepMetric, double?>();
            return new PointResult(p, state, state == PointState.Diverged ? "training diverged: …" : null, values);
        }).ToList());

    static double Seed(GridPoint p) => double.Parse(p["seed"]!.Text);

    [Fact]
    public void MeanAndSampleStandardDeviationOverSeeds()
    {
        var s = SeedStatistics.Of([0.8, 0.9, 1.0]);
        Assert.Equal(0.9, s.Mean!.Value, 12);
        Assert.Equal(0.1, s.Std!.Value, 12); // n − 1: sqrt((0.01 + 0 + 0.01) / 2)
        Assert.Equal(3, s.Count);
        Assert.Equal(new SeedStatistics(0.7, null, 1), SeedStatistics.Of([0.7]));
        Assert.Equal(new SeedStatistics(null, null, 0), SeedStatistics.Of([double.NaN]));
    }

    [Fact]
    public void Table1HasMethodsAsRowsAndTaskSequencesAsColumns()
    {
        var summary = Summary(p => (p["method"]!.Text == "ra" ? 0.9 : 0.2) + (p["tasks"]!.Text == "0+1" ? 0.05 : 0) + 0.01 * (Seed(p) - 2));
        Assert.Equal(["method"], summary.RowAxes);
        Assert.Equal(["tasks"], summary.ColumnAxes);
        var table1 = summary.Tables[0];
        Assert.Equal(["ra", "sft"], table1.Rows);
        Assert.Equal(["tasks=0-9", "tasks=0+1"], table1.Columns);
        var cell = table1.Cell("sft", "tasks=0+1", ContinualSweepResults.Accuracy);
        Assert.Equal(0.25, cell.Stats.Mean!.Value, 12);
        Assert.Equal(0.01, cell.Stats.Std!.Value, 12);
        Assert.Equal("25.0 ± 1.0", cell.Text());
        var (header, lines) = SweepReport.Layout(summary, table1);
        Assert.Equal(["method", "tasks=0-9", "tasks=0+1"], header);
        Assert.Equal(["ra", "90.0 ± 1.0", "95.0 ± 1.0"], lines[0]);
    }

    [Fact]
    public void AMetricNoRunMeasuredIsLeftOut()
    {
        var second = Summary(_ => 0.5).Tables[1];
        Assert.Equal([ContinualSweepResults.ReverseAccuracy], second.Metrics);
    }

    [Fact]
    public void DivergedFailedAndUnfinishedRunsAreLeftOutOfTheMeanAndNamed()
    {
        var summary = Summary(p => Seed(p) / 10, new()
        {
            ["method=ra,tasks=0-9,seed=3"] = PointState.Diverged,
            ["method=sft,tasks=0-9,seed=1"] = PointState.Incomplete,
            ["method=sft,tasks=0-9,seed=2"] = PointState.Missing,
            ["method=sft,tasks=0-9,seed=3"] = PointState.Failed,
        });
        var ra = summary.Tables[0].Cell("ra", "tasks=0-9", ContinualSweepResults.Accuracy);
        Assert.Equal((2, 3, 1, 0, 0), (ra.Stats.Count, ra.Expected, ra.Diverged, ra.Failed, ra.NotRun));
        Assert.Equal(0.15, ra.Stats.Mean!.Value, 12);
        Assert.Equal("15.0 ± 7.1 (2 of 3 seeds: 1 diverged)", ra.Text());
        var sft = summary.Tables[0].Cell("sft", "tasks=0-9", ContinualSweepResults.Accuracy);
        Assert.Equal("– (0 of 3 seeds: 1 failed, 2 not run)", sft.Text());
        Assert.Equal(4, summary.Problems.Count());
        Assert.False(summary.Tables[0].Cell("ra", "tasks=0+1", ContinualSweepResults.Accuracy).Incomplete);
    }

    [Fact]
    public void WithoutAMethodAxisTheFirstOtherAxisGivesTheRows()
    {
        var grid = SweepGrid.Parse("""{ "system": "selfcond", "axes": { "seed": [1, 2], "dataset": ["ring", "grid"] } }""", "g");
        var points = grid.Expand().Select(p => new PointResult(p, PointState.Finished, null,
            new Dictionary<SweepMetric, double?> { [SelfCondSweepResults.Modes] = p["dataset"]!.Text == "ring" ? 8 : 25 })).ToList();
        var summary = SweepSummary.Of(grid, new SelfCondSweepResults(), points);
        Assert.Equal(["dataset"], summary.RowAxes);
        var table = Assert.Single(summary.Tables);
        Assert.Equal([SelfCondSweepResults.Modes], table.Metrics);
        Assert.Equal("8.0 ± 0.0", table.Cell("ring", "", SelfCondSweepResults.Modes).Text());
        Assert.Equal(["dataset", "modes"], SweepReport.Layout(summary, table).Header);
    }
}
