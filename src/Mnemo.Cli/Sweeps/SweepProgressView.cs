using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Mnemo.Sweeps;
using Spectre.Console;

namespace Mnemo.Cli.Sweeps;

/// <summary>
/// One progress view for a whole local sweep. On a terminal: a bar for the sweep (points done) and one per running
/// point (its phase and percentage); in logs and CI: each run's lines prefixed with its point's name, and a line per
/// point started, skipped and ended with the sweep's count.
/// </summary>
public sealed partial class SweepProgressView : ISweepObserver
{
    readonly int _total;
    int _done;
    readonly ConcurrentDictionary<string, int> _states = new();
    readonly ProgressContext? _bars;
    readonly ProgressTask? _sweepBar;
    readonly ConcurrentDictionary<string, ProgressTask> _pointBars = new();

    SweepProgressView(int total, ProgressContext? bars)
    {
        _total = total;
        _bars = bars;
        _sweepBar = bars?.AddTask("sweep", maxValue: total);
    }

    /// <summary>Runs <paramref name="work"/> with a view of <paramref name="total"/> points: bars on a terminal.</summary>
    public static void Run(int total, Action<SweepProgressView> work)
    {
        if (!Progress.UseBar) { work(new SweepProgressView(total, null)); return; }
        AnsiConsole.Progress().AutoClear(false).HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new SweepProgressView(total, ctx)));
    }

    /// <summary>"[… ] 12/40 (30%)": the share of a phase a run's plain progress line reports.</summary>
    [GeneratedRegex(@"^\[(?<phase>[^\]]+)\] \d+/\d+ \((?<percent>\d+)%\)")]
    private static partial Regex ProgressLine();

    void Say(string text)
    {
        if (_bars is null) Console.WriteLine(text);
        else AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    public void Skipped(GridPoint point, PointState state)
    {
        Interlocked.Increment(ref _done);
        _sweepBar?.Increment(1);
        Say($"[sweep] {point.Name}: {state.Id()} before, skipped ({_done}/{_total})");
    }

    public void Started(GridPoint point, bool resuming)
    {
        Say($"[sweep] {point.Name}: {(resuming ? "resuming" : "starting")}");
        if (_bars is not null) _pointBars[point.Name] = _bars.AddTask(Markup.Escape(point.Name), maxValue: 100);
    }

    public void Output(GridPoint point, string line)
    {
        if (_bars is null) { Console.WriteLine($"[{point.Name}] {line}"); return; }
        if (!_pointBars.TryGetValue(point.Name, out var bar) || ProgressLine().Match(line) is not { Success: true } m) return;
        bar.Description = Markup.Escape($"{point.Name}  {m.Groups["phase"].Value}");
        bar.Value = int.Parse(m.Groups["percent"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Ended(GridPoint point, PointStatus status)
    {
        int done = Interlocked.Increment(ref _done);
        _states.AddOrUpdate(status.State.Id(), 1, (_, n) => n + 1);
        _sweepBar?.Increment(1);
        if (_pointBars.TryRemove(point.Name, out var bar)) bar.StopTask();
        var tally = string.Join(", ", _states.OrderBy(s => s.Key).Select(s => $"{s.Value} {s.Key}"));
        Say($"[sweep] {point.Name}: {status.State.Id()} in {status.Seconds:0} s{(status.Message is { } msg ? $" ({msg})" : "")} — {done}/{_total} done ({tally})");
    }
}
