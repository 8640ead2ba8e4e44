using System.Diagnostics;
using System.Globalization;

namespace Mnemo.Sweeps;

/// <summary>What a local sweep tells its progress view. Called from the worker threads.</summary>
public interface ISweepObserver
{
    /// <summary>A point that is not run: finished or diverged before.</summary>
    void Skipped(GridPoint point, PointState state);
    /// <summary>A worker starts (or, <paramref name="resuming"/>, continues) the point's run.</summary>
    void Started(GridPoint point, bool resuming);
    /// <summary>A line the point's run printed (also appended to its log).</summary>
    void Output(GridPoint point, string line);
    /// <summary>The point's attempt ended.</summary>
    void Ended(GridPoint point, PointStatus status);
}

/// <summary>
/// Runs a sweep's unsettled points on this machine, <see cref="WorkerPlan.Workers"/> at a time, each as a child
/// process of the `mnemo` CLI (`sweep run-point SWEEP --index I`, the command a Slurm array task runs too) with its
/// share of the cores. Finished and diverged points are skipped, started ones resume from their checkpoints. A child
/// watches its standard input, which this process holds open, and exits when it closes: killing the sweep, even with
/// SIGKILL, stops its runs, so the next sweep never finds a run folder still being written.
/// </summary>
/// <param name="cli">How to start the `mnemo` CLI, e.g. [dotnet, /path/Mnemo.Cli.dll].</param>
public sealed class LocalSweepRunner(SweepFolder sweep, IReadOnlyList<string> cli, WorkerPlan plan, ISweepObserver observer)
{
    /// <summary>run-point's exit code when another process holds the point's lock.</summary>
    public const int BusyExitCode = 75;

    /// <summary>Runs every unsettled point; returns each point's state afterwards, in grid order.</summary>
    public IReadOnlyList<(GridPoint Point, PointState State)> Run()
    {
        var points = sweep.Points();
        var todo = new List<GridPoint>();
        foreach (var point in points)
        {
            var state = sweep.StateOf(point);
            if (PointStatus.IsSettled(state)) observer.Skipped(point, state);
            else todo.Add(point);
        }
        Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = plan.Workers }, RunPoint);
        return points.Select(p => (p, sweep.StateOf(p))).ToList();
    }

    /// <summary>The child's command line after the CLI itself.</summary>
    public static IReadOnlyList<string> RunPointArguments(SweepFolder sweep, GridPoint point, int threads, bool watchParent) =>
    [
        "sweep", "run-point", sweep.Root, "--index", point.Index.ToString(CultureInfo.InvariantCulture),
        "--threads", threads.ToString(CultureInfo.InvariantCulture), .. watchParent ? new[] { "--watch-parent" } : [],
    ];

    void RunPoint(GridPoint point)
    {
        observer.Started(point, sweep.HasRun(point));
        var started = DateTimeOffset.UtcNow;
        var info = new ProcessStartInfo(cli[0])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in cli.Skip(1).Concat(RunPointArguments(sweep, point, plan.ThreadsPerRun, watchParent: true))) info.ArgumentList.Add(a);
        info.Environment["CI"] = "1"; // plain progress lines: the log is a file, the view is this process's

        Directory.CreateDirectory(sweep.LogsDir);
        using var log = new StreamWriter(sweep.LogPath(point), append: true) { AutoFlush = true };
        log.WriteLine($"== {started:O} {string.Join(' ', info.ArgumentList.Prepend(info.FileName))}");
        void Line(string? text)
        {
            if (text is null) return;
            lock (log) log.WriteLine(text);
            observer.Output(point, text);
        }
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();

        var status = sweep.ReadStatus(point);
        if (status is null || status.Ended < started)
            status = new PointStatus(point.Name, process.ExitCode == BusyExitCode ? PointState.Incomplete : PointState.Failed,
                process.ExitCode == BusyExitCode ? "another process is running this point" : $"exit code {process.ExitCode} (log: {sweep.LogPath(point)})",
                Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1), DateTimeOffset.UtcNow);
        observer.Ended(point, status);
    }
}
