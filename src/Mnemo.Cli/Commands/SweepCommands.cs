using System.CommandLine;
using System.Diagnostics;
using Mnemo.Cli.Sweeps;
using Mnemo.Sweeps;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo sweep`: an experiment grid run on this machine's cores or as a Slurm job array, and its report.</summary>
public static class SweepCommands
{
    public static Command Build()
    {
        var grid = new Argument<string>("GRID") { Description = "Grid file (JSON: system, options, axes; see the README), or a sweep folder to continue" };
        var output = new Option<string?>("--out") { Description = "Sweep folder (default runs/sweeps/<grid file name>); running the same command again continues it" };
        var workers = new Option<int?>("--workers") { Description = "Runs at once on this machine (default: one per core, at most one per point)" };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads per run (default: the cores divided between the workers)" };
        var root = CommonOptions.DataRoot();
        var slurm = new Option<bool>("--slurm") { Description = "Submit the grid as one Slurm job array (one task per unfinished point) instead of running it here" };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's)" };
        var time = new Option<string?>("--time") { Description = "Slurm time limit per run, e.g. 04:00:00 (a requeued run resumes from its checkpoint)" };
        var cpus = new Option<int>("--cpus") { Description = "CPUs per array task, also its libtorch threads", DefaultValueFactory = _ => 2 };
        var memory = new Option<string?>("--mem") { Description = "Memory per array task, e.g. 8G" };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --slurm: print the batch script, submit nothing" };
        var wait = new Option<bool>("--wait") { Description = "With --slurm: return when every array task has ended, then write the report" };
        var command = new Command("sweep", "Run an experiment grid: every point an ordinary run folder, locally with a worker pool or as a Slurm job array")
            { grid, output, workers, threads, root, slurm, partition, time, cpus, memory, dryRun, wait };
        command.Subcommands.Add(BuildRunPoint());
        command.Subcommands.Add(BuildReport());
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            var gridArg = r.GetValue(grid)!;
            bool isFolder = SweepFolder.Exists(gridArg);
            var spec = isFolder ? SweepFolder.Open(gridArg).Manifest.Grid : ReadGrid(gridArg);
            var dir = isFolder ? gridArg : r.GetValue(output) ?? Path.Combine("runs", "sweeps", Path.GetFileNameWithoutExtension(gridArg));
            var dataRoot = CommonOptions.ResolveRoot(r.GetValue(root));
            if (!r.GetValue(slurm))
            {
                if (new Option[] { partition, time, memory, dryRun, wait }.FirstOrDefault(o => r.GetResult(o) is { Implicit: false }) is { } slurmOnly)
                    throw new MnemoException($"{slurmOnly.Name} is an option of --slurm submissions; add --slurm, or leave it out to run here");
                return RunLocally(SweepFolder.CreateOrOpen(dir, spec, dataRoot), r.GetValue(workers), r.GetValue(threads));
            }
            var options = new SlurmOptions(r.GetValue(partition), r.GetValue(time), r.GetValue(cpus), r.GetValue(memory));
            options.Validate();
            bool dry = r.GetValue(dryRun);
            return Submit(dry ? SweepFolder.Plan(dir, spec, dataRoot) : SweepFolder.CreateOrOpen(dir, spec, dataRoot), options, dry, r.GetValue(wait));
        }));
        return command;
    }

    /// <summary>Reads a grid file and checks that every point's command line parses, before anything runs.</summary>
    static SweepGrid ReadGrid(string path)
    {
        if (!File.Exists(path)) throw new MnemoException($"{path}: no such grid file or sweep folder");
        var spec = SweepGrid.Parse(File.ReadAllText(path), path);
        var cli = MnemoCli.Build();
        foreach (var point in spec.Expand())
        {
            var parse = cli.Parse([.. spec.Arguments(point), "--out", "x"]);
            if (parse.Errors.Count > 0)
                throw new MnemoException($"{path}: point {point.Name}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
        return spec;
    }

    static int RunLocally(SweepFolder sweep, int? workers, int? threads)
    {
        var points = sweep.Points();
        int pending = SlurmSubmission.Pending(sweep).Count;
        var plan = WorkerPlan.For(Environment.ProcessorCount, pending, workers, threads);
        Console.WriteLine($"sweep {sweep.Root}: {points.Count} points, {pending} to run, {plan.Workers} at a time with {plan.ThreadsPerRun} thread(s) each");
        IReadOnlyList<(GridPoint Point, PointState State)> states = [];
        SweepProgressView.Run(points.Count, view => states = new LocalSweepRunner(sweep, SelfCommand.Words(), plan, view).Run());
        var files = SweepReport.Write(sweep, SweepSummary.Of(sweep));
        Console.WriteLine($"report: {files.Html}");
        // Diverged runs are results (flagged in the report); failed and unfinished ones need another go.
        int unfinished = states.Count(s => s.State is PointState.Failed or PointState.Incomplete or PointState.Missing);
        if (unfinished == 0) return 0;
        Console.Error.WriteLine($"error: {unfinished} of {points.Count} runs did not finish (logs in {sweep.LogsDir}); run the same command again to retry them");
        return 1;
    }

    static int Submit(SweepFolder sweep, SlurmOptions options, bool dryRun, bool wait)
    {
        var pending = SlurmSubmission.Pending(sweep);
        if (pending.Count == 0)
        {
            Console.WriteLine($"all {sweep.Points().Count} points of {sweep.Root} are finished or diverged: nothing to submit. Report: mnemo sweep report {sweep.Root}");
            return 0;
        }
        var script = SlurmScript.Render(sweep, options, SelfCommand.Words(), pending);
        if (dryRun)
        {
            Console.Write(script);
            return 0;
        }
        var job = SlurmSubmission.Submit(sweep, script, wait);
        Console.WriteLine($"submitted job array {job} ({pending.Count} of {sweep.Points().Count} points: {SlurmScript.ArraySpec(pending)}); logs in {sweep.LogsDir}");
        if (!wait)
        {
            Console.WriteLine($"follow it with `squeue -j {job}`; when it is done: mnemo sweep report {sweep.Root}");
            return 0;
        }
        var files = SweepReport.Write(sweep, SweepSummary.Of(sweep));
        Console.WriteLine($"report: {files.Html}");
        return 0;
    }

    static Command BuildRunPoint()
    {
        var folder = new Argument<string>("SWEEP") { Description = "Sweep folder" };
        var index = new Option<int>("--index") { Description = "The grid point (its Slurm array index)", Required = true };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads of a new run (a resumed run keeps its own)" };
        var watchParent = new Option<bool>("--watch-parent") { Description = "Stop when standard input closes (the local sweep that started this ended)", Hidden = true };
        var command = new Command("run-point", "Train or resume one grid point of a sweep (what each local worker and each Slurm array task runs)")
            { folder, index, threads, watchParent };
        command.SetAction(async r =>
        {
            SweepFolder sweep;
            GridPoint point;
            try
            {
                sweep = SweepFolder.Open(r.GetValue(folder)!);
                point = sweep.Point(r.GetValue(index));
            }
            catch (MnemoException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            if (r.GetValue(watchParent)) ExitWhenInputCloses();
            return await RunPoint(sweep, point, r.GetValue(threads));
        });
        return command;
    }

    /// <summary>One point: locked against a second process, skipped when settled, else started or resumed through
    /// the system's own command (one call into the experiment lifecycle), and its outcome recorded.</summary>
    static async Task<int> RunPoint(SweepFolder sweep, GridPoint point, int? threads)
    {
        using var held = sweep.TryLock(point);
        if (held is null)
        {
            Console.Error.WriteLine($"{point.Name}: another process is running this point; leaving it alone");
            return LocalSweepRunner.BusyExitCode;
        }
        if (sweep.ReadStatus(point) is { } done && PointStatus.IsSettled(done.State))
        {
            Console.WriteLine($"{point.Name}: {done.State.Id()} before; nothing to do");
            return 0;
        }
        var runDir = sweep.RunDir(point);
        var grid = sweep.Manifest.Grid;
        string[] args = sweep.HasRun(point)
            ? [grid.System.Id(), "--resume", runDir, "--root", sweep.Manifest.DataRoot]
            : [.. grid.Arguments(point), "--out", runDir, "--root", sweep.Manifest.DataRoot, .. threads is { } t ? new[] { "--threads", $"{t}" } : []];
        Console.WriteLine($"== {point.Name}: mnemo {string.Join(' ', args)}");
        var recorder = new ErrorLineRecorder(Console.Error);
        var stderr = Console.Error;
        Console.SetError(TextWriter.Synchronized(recorder));
        var clock = Stopwatch.StartNew();
        int code;
        try
        {
            code = await MnemoCli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        finally
        {
            Console.SetError(stderr);
        }
        var status = PointStatus.Of(point.Name, code, recorder.LastError, clock.Elapsed);
        sweep.WriteStatus(point, status);
        Console.WriteLine($"== {point.Name}: {status.State.Id()} in {status.Seconds:0} s");
        return code == 0 ? 0 : 1;
    }

    /// <summary>A local sweep holds each child's standard input open: when it closes, the sweep has ended (even by
    /// SIGKILL) and its run stops too, to be resumed from its last checkpoint by the next sweep.</summary>
    static void ExitWhenInputCloses() => new Thread(() =>
    {
        using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (input.Read(buffer) > 0) { }
        Console.Error.WriteLine("the sweep that started this run has ended: stopping (it resumes from its last checkpoint)");
        Environment.Exit(143);
    }) { IsBackground = true, Name = "sweep parent watch" }.Start();

    static Command BuildReport()
    {
        var folder = new Argument<string>("SWEEP") { Description = "Sweep folder" };
        var command = new Command("report", "Collect a sweep's runs into mean ± std over seeds in the paper's table layout (report.html, .csv, .json)") { folder };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            var sweep = SweepFolder.Open(r.GetValue(folder)!);
            var summary = SweepSummary.Of(sweep);
            var files = SweepReport.Write(sweep, summary);
            foreach (var table in summary.Tables)
            {
                Console.WriteLine(table.Title);
                var (header, lines) = SweepReport.Layout(summary, table);
                Console.WriteLine("  " + string.Join(" | ", header));
                foreach (var line in lines) Console.WriteLine("  " + string.Join(" | ", line));
            }
            foreach (var p in summary.Problems)
                Console.WriteLine($"warning: {p.Name} is {p.State.Id()}{(p.Message is { } m ? $": {m}" : "")}");
            Console.WriteLine($"report: {files.Html}\ncsv: {files.Csv}\njson: {files.Json}");
            return 0;
        }));
        return command;
    }
}
