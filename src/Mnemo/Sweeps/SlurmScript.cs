using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mnemo.Sweeps;

/// <summary>The resources one array task asks Slurm for (null: the cluster's default).</summary>
/// <param name="Time">A Slurm time limit, e.g. "04:00:00" or "2-00:00:00".</param>
/// <param name="Memory">Memory per task, e.g. "8G".</param>
public sealed partial record SlurmOptions(string? Partition, string? Time, int CpusPerTask, string? Memory)
{
    [GeneratedRegex(@"^[A-Za-z0-9_.,-]+$")] private static partial Regex PartitionPattern();
    [GeneratedRegex(@"^(\d+-)?\d+(:\d+){0,2}$|^\d+-\d+$")] private static partial Regex TimePattern();
    [GeneratedRegex(@"^\d+[KMGT]?$")] private static partial Regex MemoryPattern();

    /// <exception cref="MnemoException">A value Slurm would not accept (and that could not be written into a script safely).</exception>
    public void Validate()
    {
        if (Partition is { } p && !PartitionPattern().IsMatch(p)) throw new MnemoException($"--partition '{p}' is not a partition name");
        if (Time is { } t && !TimePattern().IsMatch(t)) throw new MnemoException($"--time '{t}' is not a Slurm time (minutes, HH:MM:SS or D-HH:MM:SS)");
        if (Memory is { } m && !MemoryPattern().IsMatch(m)) throw new MnemoException($"--mem '{m}' is not a Slurm memory size (e.g. 8G, 16000M)");
        if (CpusPerTask < 1) throw new MnemoException("--cpus must be at least 1");
    }
}

/// <summary>
/// The batch script of a sweep's job array: one array task per unsettled grid point, each running
/// `mnemo sweep run-point SWEEP --index $SLURM_ARRAY_TASK_ID` with as many libtorch threads as it has CPUs. A task
/// resumes its point from its checkpoints, so a pre-empted and requeued task continues where it stopped, and its log
/// is appended to, not overwritten.
/// </summary>
public static class SlurmScript
{
    /// <summary>The script.</summary>
    /// <param name="cli">How the compute nodes start the `mnemo` CLI (absolute paths, on a shared disk).</param>
    /// <param name="indices">The array indices (grid points) to run.</param>
    public static string Render(SweepFolder sweep, SlurmOptions options, IReadOnlyList<string> cli, IReadOnlyList<int> indices)
    {
        options.Validate();
        if (indices.Count == 0) throw new ArgumentException("an array needs at least one index", nameof(indices));
        var s = new StringBuilder("#!/bin/bash\n");
        void Directive(string text) => s.Append("#SBATCH ").Append(text).Append('\n');
        Directive($"--job-name={JobName(sweep)}");
        Directive($"--array={ArraySpec(indices)}");
        Directive($"--cpus-per-task={options.CpusPerTask}");
        if (options.Partition is { } p) Directive($"--partition={p}");
        if (options.Time is { } t) Directive($"--time={t}");
        if (options.Memory is { } m) Directive($"--mem={m}");
        Directive($"--output={Path.Combine(sweep.LogsDir, "slurm-%A_%a.log")}");
        Directive("--open-mode=append");
        Directive("--requeue");
        s.Append($"# Mnemo sweep {sweep.Root}: {indices.Count} of {sweep.Points().Count} grid points (finished and diverged ones are left out).\n");
        s.Append("# Each task trains or resumes one point's run folder; `mnemo sweep report` collects them.\n");
        s.Append("set -euo pipefail\n");
        var command = cli.Concat(["sweep", "run-point", sweep.Root]).Select(Quote);
        s.Append("exec ").Append(string.Join(' ', command))
            .Append(" --index \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-")
            .Append(options.CpusPerTask.ToString(CultureInfo.InvariantCulture)).Append("}\"\n");
        return s.ToString();
    }

    /// <summary>Slurm's --array list, runs of consecutive indices as ranges: [0,1,2,5,7,8] → "0-2,5,7-8".</summary>
    public static string ArraySpec(IReadOnlyList<int> indices)
    {
        var sorted = indices.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    /// <summary>"mnemo-" and the sweep folder's name, in characters every Slurm tool shows plainly.</summary>
    public static string JobName(SweepFolder sweep) =>
        "mnemo-" + new string(Path.GetFileName(sweep.Root).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());

    /// <summary>A word for bash: single-quoted, a quote inside written as '\''.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
