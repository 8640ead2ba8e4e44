using Mnemo.Sweeps;

namespace Mnemo.Tests.Sweeps;

/// <summary>The batch script of a sweep's job array, and the worker split of a local sweep.</summary>
public class SlurmScriptTests
{
    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 5, 0, 2, 1, 7, 8 }, "0-2,5,7-8")]
    [InlineData(new[] { 4 }, "4")]
    [InlineData(new[] { 1, 1, 3 }, "1,3")]
    public void ArrayListsRunsOfIndicesAsRanges(int[] indices, string expected) => Assert.Equal(expected, SlurmScript.ArraySpec(indices));

    [Fact]
    public void TheScriptRunsOnePointPerArrayTaskWithItsCpusAsThreads()
    {
        using var dir = new TempDir();
        var grid = SweepGrid.Parse("""{ "system": "selfcond", "axes": { "method": ["selfcond", "unconditional"], "seed": [1, 2] } }""", "g");
        var sweep = SweepFolder.Plan(dir.File("it's a sweep"), grid, dir.Path);
        var script = SlurmScript.Render(sweep, new SlurmOptions("gpu-long", "1-12:00:00", 4, "16G"), ["/usr/bin/dotnet", "/opt/mnemo/Mnemo.Cli.dll"], [1, 2, 3]);
        var lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Contains("#SBATCH --array=1-3", lines);
        Assert.Contains("#SBATCH --cpus-per-task=4", lines);
        Assert.Contains("#SBATCH --partition=gpu-long", lines);
        Assert.Contains("#SBATCH --time=1-12:00:00", lines);
        Assert.Contains("#SBATCH --mem=16G", lines);
        Assert.Contains("#SBATCH --requeue", lines);
        Assert.Contains("#SBATCH --job-name=mnemo-it_s_a_sweep", lines);
        Assert.Contains($"#SBATCH --output={Path.Combine(sweep.LogsDir, "slurm-%A_%a.log")}", lines);
        var exec = Assert.Single(lines, l => l.StartsWith("exec ", StringComparison.Ordinal));
        Assert.Equal($"exec '/usr/bin/dotnet' '/opt/mnemo/Mnemo.Cli.dll' 'sweep' 'run-point' '{sweep.Root.Replace("'", "'\\''")}' " +
                     "--index \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-4}\"", exec);
        Assert.False(File.Exists(sweep.ManifestPath), "rendering (a dry run) writes nothing");
    }

    [Fact]
    public void ShellQuotingSurvivesQuotesAndSpaces()
    {
        var word = "a 'b' $c";
        var quoted = SlurmScript.Quote(word);
        var echo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", $"printf %s {quoted}"]) { RedirectStandardOutput = true })!;
        Assert.Equal(word, echo.StandardOutput.ReadToEnd());
        echo.WaitForExit();
    }

    [Theory]
    [InlineData("main\n#SBATCH --uid=0", null, null, 1, "--partition")]
    [InlineData(null, "tomorrow", null, 1, "--time")]
    [InlineData(null, null, "lots", 1, "--mem")]
    [InlineData(null, null, null, 0, "--cpus")]
    public void RefusesOptionsSlurmWouldNotTake(string? partition, string? time, string? memory, int cpus, string named)
    {
        var e = Assert.Throws<MnemoException>(new SlurmOptions(partition, time, cpus, memory).Validate);
        Assert.Contains(named, e.Message);
    }

    [Theory]
    [InlineData(2, 4, null, null, 2, 1)]
    [InlineData(16, 3, null, null, 3, 5)]
    [InlineData(8, 10, 2, null, 2, 4)]
    [InlineData(8, 10, null, 2, 4, 2)]
    [InlineData(4, 1, null, 8, 1, 8)]
    [InlineData(2, 0, null, null, 1, 2)]
    public void WorkersShareTheCoresWithoutOversubscribing(int cores, int points, int? workers, int? threads, int expectWorkers, int expectThreads)
    {
        if (threads > cores) { Assert.Throws<MnemoException>(() => WorkerPlan.For(cores, points, workers, threads)); return; }
        var plan = WorkerPlan.For(cores, points, workers, threads);
        Assert.Equal(new WorkerPlan(expectWorkers, expectThreads), plan);
        Assert.True(plan.Workers * plan.ThreadsPerRun <= cores);
    }

    [Theory]
    [InlineData(3, null)]
    [InlineData(2, 2)]
    [InlineData(0, null)]
    public void RefusesAPlanThatWouldOversubscribe(int workers, int? threads) =>
        Assert.Throws<MnemoException>(() => WorkerPlan.For(2, 10, workers, threads));

    [Theory]
    [InlineData(0, null, PointState.Finished)]
    [InlineData(1, "training diverged: a loss became NaN at task 2, iteration 7. …", PointState.Diverged)]
    [InlineData(1, "--k must be at least 1", PointState.Failed)]
    [InlineData(137, null, PointState.Failed)]
    public void AnAttemptsOutcomeComesFromItsExitAndError(int exit, string? error, PointState expected)
    {
        var status = PointStatus.Of("p", exit, error, TimeSpan.FromSeconds(3));
        Assert.Equal(expected, status.State);
        Assert.Equal(expected == PointState.Finished ? null : error ?? $"exit code {exit}", status.Message);
    }
}
