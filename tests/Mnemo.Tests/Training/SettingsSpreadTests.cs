using Mnemo.Continual;
using Mnemo.MemoryGan;
using Mnemo.Training;

namespace Mnemo.Tests.Training;

/// <summary>What a comparison says about its runs' settings: nothing extra when they differ only in their method
/// (and threads), else which settings differ and each run's values.</summary>
public class SettingsSpreadTests
{
    [Fact]
    public void RunsThatDifferOnlyInMethodAndThreadsAreUniform()
    {
        var a = new MerganOptions { Method = ContinualMethod.Sft, Threads = 1 };
        var spread = SettingsSpread.Of([a, a with { Method = ContinualMethod.Ra, Threads = 2 }]);
        Assert.True(spread.Uniform);
        Assert.Equal("MeRGAN-RA", spread.Name("MeRGAN-RA", 1));
        Assert.Equal("", spread.Label(0));
        Assert.True(SettingsSpread.Of([new MemoryGanOptions(), new MemoryGanOptions { Method = MemoryGanMethod.NoMemory }]).Uniform);
    }

    [Fact]
    public void OtherDifferencesAreNamedInStoredOrderWithEachRunsValues()
    {
        var a = new MerganOptions { Method = ContinualMethod.Sft, IterationsPerTask = 2, Tasks = "0+1,2+3" };
        var spread = SettingsSpread.Of([a, a with { Method = ContinualMethod.Ra, IterationsPerTask = 3, Seed = 1 }, a with { Tasks = "0,1" }]);
        Assert.False(spread.Uniform);
        Assert.Equal(new[] { "Tasks", "Seed", "IterationsPerTask" }, spread.Keys);
        Assert.Equal("--tasks 0+1,2+3, --seed 0, --iterations-per-task 2", spread.Label(0));
        Assert.Equal("MeRGAN-RA (--tasks 0+1,2+3, --seed 1, --iterations-per-task 3)", spread.Name("MeRGAN-RA", 1));
        Assert.Contains("differ in --tasks, --seed, --iterations-per-task", spread.Warning);
    }
}
