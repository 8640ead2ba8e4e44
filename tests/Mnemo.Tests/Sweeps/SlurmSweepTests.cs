using System.Diagnostics;
using Mnemo.Sweeps;
using Mnemo.Tests.Cli;

namespace Mnemo.Tests.Sweeps;

/// <summary>
/// `mnemo sweep --slurm` against a real Slurm: a single-node cluster on this machine (tools/slurm/slurm-up.sh; .ci/run
/// installs and starts it). The test submits a 2×2 grid as a job array, waits for it, checks the aggregated table, and
/// re-submits to see that finished runs are not submitted again. Without a cluster it is reported as skipped, with
/// the reason, never as passed.
/// </summary>
[Collection("training")]
public class SlurmSweepTests
{
    [SkippableFact]
    public void SubmitsAGridAsAJobArrayAndReportsIt()
    {
        using var cluster = LocalSlurm.Acquire();
        using var dir = new TempDir();
        var grid = ToyGrids.Ring(dir.Path);
        var sweep = dir.File("sweep");

        var dry = CliProcess.Run(dir.Path, "sweep", grid, "--out", sweep, "--slurm", "--cpus", "1", "--mem", "1G", "--dry-run");
        Assert.True(dry.Code == 0, dry.Stderr);
        Assert.Contains("#SBATCH --array=0-3", dry.Stdout);
        Assert.False(Directory.Exists(sweep), "a dry run writes nothing");

        var submit = CliProcess.Run(dir.Path, "sweep", grid, "--out", sweep, "--slurm", "--cpus", "1", "--mem", "1G", "--time", "10:00");
        Assert.True(submit.Code == 0, $"{submit.Stdout}\n{submit.Stderr}");
        var job = System.Text.RegularExpressions.Regex.Match(submit.Stdout, @"submitted job array (\d+)").Groups[1].Value;
        Assert.NotEmpty(job);
        LocalSlurm.WaitForJob(job, TimeSpan.FromMinutes(8));

        var report = CliProcess.Run(dir.Path, "sweep", "report", sweep);
        Assert.True(report.Code == 0, report.Stderr);
        Assert.DoesNotContain("warning:", report.Stdout);
        var cells = ToyGrids.Cells(sweep);
        foreach (var method in new[] { "selfcond", "unconditional" })
            foreach (var metric in new[] { "modes", "high_quality", "reverse_kl" })
                Assert.Equal(("2", "2", "0", "0", "0"), (cells[(method, "", metric)][5], cells[(method, "", metric)][6], cells[(method, "", metric)][7],
                    cells[(method, "", metric)][8], cells[(method, "", metric)][9]));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(sweep, "logs"), $"slurm-{job}_*.log").Length);

        var resubmit = CliProcess.Run(dir.Path, "sweep", sweep, "--slurm", "--cpus", "1");
        Assert.True(resubmit.Code == 0, resubmit.Stderr);
        Assert.Contains("nothing to submit", resubmit.Stdout);

        // A point whose status is lost (say, a requeued task killed before it ended) is the only one submitted again.
        var folder = SweepFolder.Open(sweep);
        File.Delete(Path.Combine(folder.StatusDir, folder.Point(2).Name + ".json"));
        var dry2 = CliProcess.Run(dir.Path, "sweep", sweep, "--slurm", "--cpus", "1", "--dry-run");
        Assert.Contains("#SBATCH --array=2\n", dry2.Stdout);
    }
}

/// <summary>The single-node Slurm of tools/slurm: used when running, started (without installing) when not, and
/// stopped after the test only when the test started it.</summary>
sealed class LocalSlurm : IDisposable
{
    static readonly string StateDir = Environment.GetEnvironmentVariable("MNEMO_SLURM_DIR") ?? "/tmp/mnemo-slurm";
    readonly string? _startedBy;

    LocalSlurm(string? startedBy) => _startedBy = startedBy;

    /// <exception cref="SkipTestException">No cluster, and none could be started here.</exception>
    public static LocalSlurm Acquire()
    {
        var conf = Environment.GetEnvironmentVariable("SLURM_CONF") ?? Path.Combine(StateDir, "slurm.conf");
        if (File.Exists(conf)) Environment.SetEnvironmentVariable("SLURM_CONF", conf); // the CLI and sbatch it runs inherit it
        if (NodeIsUp()) return new LocalSlurm(null);
        var tools = FindTools();
        SkipTestException.If(tools is null, "SLURM TEST SKIPPED: no Slurm answers and tools/slurm/slurm-up.sh was not found");
        var (code, output) = Run("bash", Path.Combine(tools!, "slurm-up.sh"), "--no-install");
        SkipTestException.If(code != 0, $"SLURM TEST SKIPPED: no Slurm answers and tools/slurm/slurm-up.sh could not start one: {output.Trim()} " +
                                         "(as root, tools/slurm/slurm-up.sh installs slurm-wlm and munge; .ci/run does)");
        Environment.SetEnvironmentVariable("SLURM_CONF", Path.Combine(StateDir, "slurm.conf"));
        return new LocalSlurm(tools);
    }

    static bool NodeIsUp()
    {
        try
        {
            var (code, output) = Run("sinfo", "-h", "-N", "-o", "%T");
            return code == 0 && output.Split('\n').Any(s => s.Trim() is "idle" or "mixed" or "allocated");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // sinfo is not installed
        }
    }

    static string? FindTools()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "tools", "slurm", "slurm-up.sh"))) return Path.Combine(d.FullName, "tools", "slurm");
        return null;
    }

    /// <summary>Waits until the job has left the queue; cancels it and fails after <paramref name="limit"/>.</summary>
    public static void WaitForJob(string job, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var (code, output) = Run("squeue", "-h", "-j", job, "-o", "%i %T");
            if (output.Trim().Length == 0 || output.Contains("Invalid job id", StringComparison.Ordinal)) return; // left the queue (and, later, Slurm's memory)
            Thread.Sleep(1000);
        }
        Run("scancel", job);
        Assert.Fail($"job {job} did not finish within {limit}");
    }

    static (int Code, string Output) Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    public void Dispose()
    {
        if (_startedBy is not null) Run("bash", Path.Combine(_startedBy, "slurm-down.sh"));
    }
}
