using System.CommandLine;
using System.CommandLine.Parsing;
using Mnemo.Data;
using Mnemo.Training;
using Mnemo.Training.TensorBoard;

namespace Mnemo.Cli.Commands;

/// <summary>The options every training command shares (dataset, profile, seed, threads, data folder, output
/// folder, resume) and its one "resume or start" block.</summary>
public sealed class TrainingCommand
{
    public readonly Option<string> Dataset;
    public readonly Option<string> Profile = new("--profile") { Description = "quick (minutes on a CPU) or paper (the official schedule)", DefaultValueFactory = _ => "paper" };
    public readonly Option<int> Seed = CommonOptions.Seed();
    public readonly Option<int?> Threads = CommonOptions.Threads();
    public readonly Option<string?> Root = CommonOptions.DataRoot();
    public readonly Option<string?> Out;
    public readonly Option<string?> Resume = new("--resume") { Description = "Continue the run in this folder from its last checkpoint (its own settings)" };
    /// <summary>--device; with --resume it may move the run to another device (checkpoints are device-independent).</summary>
    public readonly Option<string?> Device = CommonOptions.Device("auto: CUDA when it can be loaded, else the CPU; with --resume: the device the run last used");
    public readonly Option<bool> NoTensorBoard = new("--no-tensorboard") { Description = "Write no TensorBoard event files (default: written into the run folder)" };

    /// <param name="runName">Default output folder prefix: runs/&lt;runName&gt;-&lt;time&gt;.</param>
    public TrainingCommand(string defaultDataset, string datasetHelp, string runName)
    {
        Dataset = new("--dataset") { Description = datasetHelp, DefaultValueFactory = _ => defaultDataset };
        Out = new("--out") { Description = $"New run folder (default runs/{runName}-<time>)" };
    }

    /// <param name="runFolder">Also --out and --resume (a comparison declares its own).</param>
    public void AddTo(Command command, bool runFolder = true)
    {
        foreach (var o in new Option[] { Dataset, Profile, Seed, Threads, Device, Root, NoTensorBoard }) command.Options.Add(o);
        if (runFolder) { command.Options.Add(Out); command.Options.Add(Resume); }
    }

    /// <summary>Turns TensorBoard events off until disposed when --no-tensorboard is given (null otherwise).</summary>
    public IDisposable? TensorBoardChoice(ParseResult r) => r.GetValue(NoTensorBoard) ? TensorBoardLog.Suppress() : null;

    /// <summary>The data folder: --root, else $MNEMO_DATA, else ~/.mnemo/data.</summary>
    public string DataRoot(ParseResult r) => CommonOptions.ResolveRoot(r.GetValue(Root));

    /// <summary>--root when given (a resume otherwise reads the data folder the run was started with).</summary>
    public string? DataRootOverride(ParseResult r) => r.GetValue(Root) is { } root ? Data.DataRoot.Resolve(root) : null;

    /// <summary>Resumes the --resume folder, or resolves the settings and starts a new run in --out (or a fresh
    /// runs/&lt;name&gt;-&lt;time&gt;), then names the report. One clear error line on bad input.</summary>
    /// <param name="settings">Reads the command's settings (validated); called only for a new run.</param>
    /// <param name="defaultOut">The default run folder for these settings.</param>
    /// <param name="start">Starts a new run: settings, folder, data root, progress, device request.</param>
    /// <param name="resume">Resumes a run: folder, data root override, progress, device request (null: the run's own).</param>
    /// <param name="summary">Prints what the run measured (optional).</param>
    public int StartOrResume<TSettings, TResult>(ParseResult r, Func<TSettings> settings, Func<TSettings, string> defaultOut,
        Func<TSettings, string, string, IProgressReporter, string?, TResult> start, Func<string, string?, IProgressReporter, string?, TResult> resume,
        Action<TResult, IProgressReporter>? summary = null) => MnemoCli.Guard(() =>
    {
        RefuseSettingsWithResume(r);
        using var tensorBoard = TensorBoardChoice(r);
        Progress.Run(progress =>
        {
            string dir;
            TResult result;
            if (r.GetValue(Resume) is { } resumeDir)
            {
                dir = resumeDir;
                result = resume(resumeDir, DataRootOverride(r), progress, r.GetValue(Device));
            }
            else
            {
                var s = settings();
                dir = r.GetValue(Out) ?? defaultOut(s);
                result = start(s, dir, DataRoot(r), progress, r.GetValue(Device));
            }
            summary?.Invoke(result, progress);
            progress.Message($"report: {Path.GetFullPath(Path.Combine(dir, "report.html"))}");
        });
        return 0;
    });

    /// <summary>A resumed run continues with the settings it was started with (its checkpoints carry their
    /// fingerprint), in its own folder: an option that would set either is refused rather than silently ignored.
    /// Only --root (where the data is) and --device (where it computes) go with --resume.</summary>
    /// <exception cref="MnemoException">--resume was given with another option.</exception>
    void RefuseSettingsWithResume(ParseResult r)
    {
        if (r.GetValue(Resume) is null) return;
        var given = r.CommandResult.Children.OfType<OptionResult>()
            .Where(o => !o.Implicit && o.Option != Resume && o.Option != Root && o.Option != Device).Select(o => o.Option.Name).Distinct().ToList();
        if (given.Count == 0) return;
        throw new MnemoException(given.Contains(Out.Name)
            ? $"--resume continues the run in its own folder; drop {string.Join(" and ", given)}, or drop --resume to start a new run in --out"
            : $"--resume takes the run's own settings; drop {string.Join(" and ", given)} or start a new --out");
    }

    /// <summary>Prints a run's final metrics on one line ("final metrics: FID 12.3, IS 4.56, …").</summary>
    public static void PrintFinal(IEnumerable<(string Name, double Value)> metrics, IProgressReporter progress) =>
        progress.Message("final metrics: " + string.Join(", ", metrics.Select(m => $"{m.Name} {Visualization.NumberText.Format(m.Value, "0.###")}")));

    /// <summary>A fresh default run folder: runs/&lt;name&gt;-&lt;time&gt;.</summary>
    public static string DefaultFolder(string name) => Path.Combine("runs", $"{name.Replace(':', '_').Replace('/', '_')}-{DateTime.Now:yyyyMMdd-HHmmss}");
}
