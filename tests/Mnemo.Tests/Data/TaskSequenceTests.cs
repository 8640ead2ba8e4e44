using Mnemo.Data;

namespace Mnemo.Tests.Data;

public class TaskSequenceTests
{
    [Fact]
    public void ParsesRangesGroupsAndSingles()
    {
        Assert.Equal(10, TaskSequence.Parse("0-9", 10).Count);
        var grouped = TaskSequence.Parse("0+1, 2+3,4", 10);
        Assert.Equal(new[] { 0, 1 }, grouped.Tasks[0]);
        Assert.Equal(new[] { 4 }, grouped.Tasks[2]);
        Assert.Equal(new[] { 0, 1, 2, 3 }, grouped.ClassesUpTo(1));
        Assert.Equal("0+1,2+3,4", grouped.ToString());
    }

    [Theory]
    [InlineData("0-10", "outside")]
    [InlineData("3,3", "more than one task")]
    [InlineData("a", "not a class number")]
    [InlineData("5-2", "backwards")]
    public void BadSpecsGiveClearErrors(string spec, string expected)
    {
        var e = Assert.Throws<MnemoException>(() => TaskSequence.Parse(spec, 10));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void PerTaskDatasetsHoldOnlyTheirClasses()
    {
        var pixels = TorchSharp.torch.zeros(new long[] { 6, 1, 2, 2 }, TorchSharp.torch.ScalarType.Byte);
        using var data = new ImageDataset("d", pixels, new long[] { 0, 1, 2, 0, 1, 2 }, DatasetCatalog.DigitNames);
        var tasks = TaskSequence.Parse("0+2,1", 10);
        using var first = data.WhereClass(tasks.Tasks[0]);
        Assert.Equal(new long[] { 0, 2, 0, 2 }, first.Labels);
    }
}
