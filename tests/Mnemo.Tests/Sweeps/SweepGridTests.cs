using Mnemo.Sweeps;

namespace Mnemo.Tests.Sweeps;

/// <summary>Grid files: what is accepted and refused, how a grid expands into points, their names and command lines.</summary>
public class SweepGridTests
{
    const string Table1 = """
        { "system": "continual",
          "options": { "dataset": "mnist", "profile": "quick", "iterations-per-task": 3, "lr": 1e-4 },
          "axes": { "method": ["ra", "sft"], "tasks": ["0-9", "0+1,2+3"], "seed": [1, 2, 3] } }
        """;

    [Fact]
    public void ExpandsTheAxesAsNestedLoopsInTheOrderWritten()
    {
        var points = SweepGrid.Parse(Table1, "t.json").Expand();
        Assert.Equal(12, points.Count);
        Assert.Equal(Enumerable.Range(0, 12), points.Select(p => p.Index));
        Assert.Equal("method=ra,tasks=0-9,seed=1", points[0].Name);
        Assert.Equal("method=ra,tasks=0-9,seed=2", points[1].Name);
        Assert.Equal("method=ra,tasks=0+1_2+3,seed=1", points[3].Name);
        Assert.Equal("method=sft,tasks=0+1_2+3,seed=3", points[11].Name);
        Assert.Equal("0+1,2+3", points[3]["tasks"]!.Text);
        Assert.Null(points[0]["dataset"]);
    }

    [Fact]
    public void APointsCommandIsTheSystemsOwnOptionsAsWritten()
    {
        var grid = SweepGrid.Parse(Table1, "t.json");
        Assert.Equal(
            ["continual", "--dataset", "mnist", "--profile", "quick", "--iterations-per-task", "3", "--lr", "1e-4",
             "--method", "sft", "--tasks", "0+1,2+3", "--seed", "2"],
            grid.Arguments(grid.Expand()[10]));
    }

    [Fact]
    public void SwitchesAreGivenWhenTrueAndLeftOutWhenFalse()
    {
        var grid = SweepGrid.Parse("""{ "system": "memorygan", "axes": { "no-memory": [false, true] } }""", "g");
        var points = grid.Expand();
        Assert.Equal(["memorygan"], grid.Arguments(points[0]));
        Assert.Equal(["memorygan", "--no-memory"], grid.Arguments(points[1]));
        Assert.Equal(["no-memory=false", "no-memory=true"], points.Select(p => p.Name));
    }

    [Fact]
    public void AGridWithoutAxesIsOneRun()
    {
        var point = Assert.Single(SweepGrid.Parse("""{ "system": "selfcond", "options": { "dataset": "grid" } }""", "g").Expand());
        Assert.Equal("run", point.Name);
    }

    [Fact]
    public void ItsFileFormatRoundTrips()
    {
        var grid = SweepGrid.Parse(Table1, "t.json");
        var again = SweepGrid.FromJson(grid.ToJson(), "copy");
        Assert.True(grid.SameAs(again));
        Assert.Equal(grid.Arguments(grid.Expand()[5]), again.Arguments(again.Expand()[5]));
        Assert.False(grid.SameAs(SweepGrid.Parse(Table1.Replace("[1, 2, 3]", "[1, 2]"), "t.json")));
    }

    [Theory]
    [InlineData("""{ "system": "gan" }""", "unknown system 'gan'")]
    [InlineData("""{ "options": {} }""", "\"system\" must name the system")]
    [InlineData("""{ "system": "selfcond", "axis": {} }""", "unknown field \"axis\"")]
    [InlineData("""{ "system": "selfcond", "options": { "--k": 5 } }""", "without dashes")]
    [InlineData("""{ "system": "selfcond", "options": { "threads": 4 } }""", "the sweep sets --threads itself")]
    [InlineData("""{ "system": "selfcond", "axes": { "out": ["a"] } }""", "the sweep sets --out itself")]
    [InlineData("""{ "system": "selfcond", "axes": { "k": [] } }""", "axes.k must be a non-empty list")]
    [InlineData("""{ "system": "selfcond", "axes": { "k": 5 } }""", "axes.k must be a non-empty list")]
    [InlineData("""{ "system": "selfcond", "axes": { "k": [5, 5] } }""", "lists 5 twice")]
    [InlineData("""{ "system": "selfcond", "options": { "k": 5 }, "axes": { "k": [5, 6] } }""", "both an option and an axis")]
    [InlineData("""{ "system": "selfcond", "axes": { "k": [[5]] } }""", "axes.k[0] must be a string, a number or true/false")]
    [InlineData("""{ "system": "selfcond", "options": { "k": null } }""", "options.k must be a string")]
    [InlineData("""{ "system": "selfcond", """, "is not valid JSON")]
    [InlineData("""[1, 2]""", "a grid is a JSON object")]
    public void RefusesAGridWithAClearMessage(string json, string expected)
    {
        var e = Assert.Throws<MnemoException>(() => SweepGrid.Parse(json, "g.json"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void PointsWhoseFolderNamesWouldClashAreRefused()
    {
        var grid = SweepGrid.Parse("""{ "system": "continual", "axes": { "tasks": ["0,1", "0/1"] } }""", "g");
        var e = Assert.Throws<MnemoException>(grid.Expand);
        Assert.Contains("tasks=0_1", e.Message);
    }

    [Theory]
    [InlineData(".", "_.")]
    [InlineData("..", "_..")]
    [InlineData("", "_")]
    [InlineData("a b/c", "a_b_c")]
    [InlineData("1e-4", "1e-4")]
    public void NamesNeverLeaveTheSweepFolder(string value, string expected)
    {
        var name = GridPoint.NameOf([new AxisValue("x", new GridValue(value, GridValueKind.Text))]);
        Assert.Equal($"x={expected}", name);
    }
}
