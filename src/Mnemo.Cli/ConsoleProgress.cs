using System.Diagnostics;
using Mnemo.Training;
using Spectre.Console;

namespace Mnemo.Cli;

/// <summary>Plain progress lines for logs and CI: at most one line per 10 seconds or 10 % of a phase, with rate and ETA.</summary>
public sealed class PlainProgress : IProgressReporter
{
    readonly TextWriter _out;
    string _phase = "";
    long _total;
    readonly Stopwatch _clock = new();
    TimeSpan _lastPrint;
    long _lastPercentBucket;
    long? _firstDone; // a resumed phase starts part-way: rate and ETA count from there

    public PlainProgress(TextWriter? output = null) => _out = output ?? Console.Out;

    public void Start(string phase, long total)
    {
        _phase = phase;
        _total = Math.Max(1, total);
        _clock.Restart();
        _lastPrint = TimeSpan.Zero;
        _lastPercentBucket = 0;
        _firstDone = null;
        _out.WriteLine($"[{phase}] started ({total} steps)");
    }

    public void Report(long done, string? status = null)
    {
        _firstDone ??= done - 1;
        long bucket = done * 10 / _total;
        bool due = _clock.Elapsed - _lastPrint > TimeSpan.FromSeconds(10) || bucket > _lastPercentBucket || done >= _total;
        if (!due) return;
        _lastPrint = _clock.Elapsed;
        _lastPercentBucket = bucket;
        double rate = (done - _firstDone.Value) / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        var eta = rate > 0 ? TimeSpan.FromSeconds((_total - done) / rate) : TimeSpan.Zero;
        _out.WriteLine($"[{_phase}] {done}/{_total} ({100.0 * done / _total:0}%) {rate:0.00} it/s ETA {eta:hh\\:mm\\:ss}{(status is null ? "" : "  " + status)}");
    }

    public void Message(string text) => _out.WriteLine(text);
}

/// <summary>A live Spectre.Console progress bar (terminal only): one bar per phase with rate and remaining time.</summary>
public sealed class BarProgress : IProgressReporter
{
    readonly ProgressContext _context;
    ProgressTask? _task;

    BarProgress(ProgressContext context) => _context = context;

    public static void Run(Action<IProgressReporter> work)
    {
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedlessRateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new BarProgress(ctx)));
    }

    public void Start(string phase, long total)
    {
        _task?.StopTask();
        _task = _context.AddTask(Markup.Escape(phase), maxValue: Math.Max(1, total));
    }

    public void Report(long done, string? status = null)
    {
        if (_task is null) return;
        _task.Value = done;
        if (status is not null) _task.Description = Markup.Escape(_task.Description.Split("  ")[0] + "  " + status);
    }

    public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));

    /// <summary>Shows steps per second (Spectre's own speed column formats bytes).</summary>
    sealed class TransferSpeedlessRateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } s ? $"{s:0.00} it/s" : "", Style.Plain);
    }
}

public static class Progress
{
    /// <summary>A bar on an interactive terminal, plain lines in CI logs and pipes.</summary>
    public static bool UseBar =>
        Environment.GetEnvironmentVariable("CI") is null && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Run(Action<IProgressReporter> work)
    {
        if (UseBar) BarProgress.Run(work);
        else work(new PlainProgress());
    }
}
