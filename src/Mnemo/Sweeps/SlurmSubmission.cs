using System.ComponentModel;
using System.Diagnostics;

namespace Mnemo.Sweeps;

/// <summary>Submits a sweep's job array with `sbatch`.</summary>
public static class SlurmSubmission
{
    /// <summary>The indices of the points a submission runs: all but finished and diverged ones.</summary>
    public static IReadOnlyList<int> Pending(SweepFolder sweep) =>
        sweep.Points().Where(p => !PointStatus.IsSettled(sweep.StateOf(p))).Select(p => p.Index).ToList();

    /// <summary>Writes the script to SWEEP/slurm/array-TIME.sh and submits it; returns the job id. With
    /// <paramref name="wait"/>, returns only when every array task has ended (sbatch --wait).</summary>
    /// <exception cref="MnemoException">sbatch is missing or refuses the job (its message is included).</exception>
    public static string Submit(SweepFolder sweep, string script, bool wait)
    {
        Directory.CreateDirectory(sweep.SlurmDir);
        Directory.CreateDirectory(sweep.LogsDir);
        var path = Path.Combine(sweep.SlurmDir, $"array-{DateTime.UtcNow:yyyyMMdd-HHmmss}.sh");
        Training.AtomicFile.WriteAllText(path, script);
        var info = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--parsable");
        if (wait) info.ArgumentList.Add("--wait");
        info.ArgumentList.Add(path);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception)
        {
            throw new MnemoException("sbatch was not found: --slurm needs a machine that can submit Slurm jobs (--dry-run prints the batch script)");
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // --parsable prints "JOBID" or "JOBID;CLUSTER" first; with --wait a failed task also makes the exit code non-zero.
            var id = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.Split(';')[0];
            if (string.IsNullOrEmpty(id))
                throw new MnemoException($"sbatch refused the job (exit {process.ExitCode}): {error.Result.Trim()} (script: {path})");
            return id;
        }
    }
}
