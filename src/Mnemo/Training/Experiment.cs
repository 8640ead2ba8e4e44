namespace Mnemo.Training;

/// <summary>A system as the experiment lifecycle sees it: what it loads before a run folder exists, and how it
/// trains a run folder.</summary>
/// <typeparam name="TInputs">Data, classifiers and evaluators a run reads (disposed after the run).</typeparam>
public interface IExperimentSystem<TSettings, TInputs, TResult>
    where TSettings : IRunSettings<TSettings> where TInputs : IDisposable
{
    /// <summary>The system's name in messages, e.g. "MeRGAN".</summary>
    string Name { get; }
    /// <summary>The kind its checkpoints carry (e.g. "selfcond"), also stored in config.json: how `mnemo report`
    /// tells which system wrote a run folder.</summary>
    string Kind { get; }
    /// <summary>Refuses a device the system cannot train on (called before anything is loaded or written); by default
    /// every device is accepted.</summary>
    /// <exception cref="MnemoException">The system does not run on <paramref name="device"/>; the message says which to use.</exception>
    void CheckDevice(ComputeDevice device) { }
    /// <summary>Loads what a run needs; every check that can fail on the user's input fails here, before any
    /// folder is created.</summary>
    TInputs Load(TSettings settings, string dataRoot, IProgressReporter progress);
    /// <summary>Trains a new run (<paramref name="resume"/> false) or continues one to its end, with its models, batches
    /// and evaluation networks on <paramref name="device"/>.</summary>
    TResult Train(TSettings settings, TInputs inputs, RunFolder run, bool resume, ComputeDevice device, IProgressReporter progress);
    /// <summary>What a run measured, read back from its files.</summary>
    /// <exception cref="MnemoException">The run has nothing to report yet.</exception>
    TResult ReadResult(RunFolder run);
    /// <summary>Writes the run's report.html / report.md from its files; returns the HTML's path.</summary>
    string Report(TSettings settings, RunFolder run, TResult result);
    /// <summary>Writes comparison.html (and .csv, …) of <paramref name="runs"/> into <paramref name="outDir"/>: rows
    /// named by method and, when the runs' settings differ otherwise, by their own values
    /// (<see cref="SettingsSpread"/>); returns the HTML's path.</summary>
    string WriteComparison(string outDir, IReadOnlyList<ComparedRun<TSettings, TResult>> runs);
}

/// <summary>What `mnemo report` needs of a system, whatever its settings and result types.</summary>
public interface IRunReports
{
    /// <inheritdoc cref="IExperimentSystem{TSettings, TInputs, TResult}.Kind"/>
    string Kind { get; }
    /// <inheritdoc cref="IExperimentSystem{TSettings, TInputs, TResult}.Name"/>
    string Name { get; }
    /// <summary>Rebuilds the report of the run in <paramref name="runDir"/> from its files; returns its path.</summary>
    string Report(string runDir);
    /// <summary>Puts the runs in <paramref name="runDirs"/> side by side in <paramref name="outDir"/>; returns the
    /// comparison's path.</summary>
    string Compare(IReadOnlyList<string> runDirs, string outDir);
}

/// <summary>
/// Start, resume and compare, the same for every system. A run folder's config.json holds the typed settings and,
/// beside them, the data folder. A comparison re-uses a method's folder only when it holds a run of exactly the
/// requested settings; a folder with other settings is refused, so a comparison never mixes runs.
/// </summary>
public sealed class Experiment<TSettings, TInputs, TResult>(IExperimentSystem<TSettings, TInputs, TResult> system) : IRunReports
    where TSettings : IRunSettings<TSettings> where TInputs : IDisposable
{
    public string Kind => system.Kind;
    public string Name => system.Name;

    /// <summary>Trains a new run into <paramref name="outDir"/> on the device <paramref name="device"/> asks for
    /// (<see cref="ComputeDevice.Choices"/>; null: auto), recorded in config.json beside the settings (not in them: the
    /// device does not enter the settings fingerprint, so a run may resume on another device).</summary>
    /// <exception cref="MnemoException">Bad settings or device, unreadable data, or the folder already holds a run.</exception>
    public TResult Start(TSettings settings, string outDir, string dataRoot, IProgressReporter progress, string? device = null)
    {
        settings.Validate();
        var compute = ComputeDevice.Resolve(device);
        system.CheckDevice(compute);
        RefuseExisting(outDir);
        using var inputs = system.Load(settings, dataRoot, progress);
        var run = RunFolder.Create(outDir, RunSettings.ToJson(settings), dataRoot, system.Kind, compute);
        progress.Message($"device: {compute.Description}");
        return system.Train(settings, inputs, run, resume: false, compute, progress);
    }

    /// <summary>Continues the run in <paramref name="runDir"/> from its newest checkpoint (a finished run only
    /// rebuilds its report). <paramref name="dataRoot"/> overrides the data folder the run was started with;
    /// <paramref name="device"/> the device it last ran on (a checkpoint loads onto any device).</summary>
    /// <exception cref="MnemoException">Not a run folder, bad settings or device, unreadable data or checkpoint.</exception>
    public TResult Resume(string runDir, string? dataRoot, IProgressReporter progress, string? device = null)
    {
        var (run, json, storedRoot) = RunFolder.OpenConfig(runDir);
        var settings = RunSettings.FromJson<TSettings>(json, system.Name);
        settings.Validate();
        var compute = ComputeDevice.Resolve(device ?? RunFolder.StoredDevice(runDir));
        system.CheckDevice(compute);
        using var inputs = system.Load(settings, dataRoot ?? storedRoot ?? Data.DataRoot.Resolve(null), progress);
        run.RecordDevice(compute);
        progress.Message($"device: {compute.Description}");
        return system.Train(settings, inputs, run, resume: true, compute, progress);
    }

    /// <summary>The settings stored in a run folder.</summary>
    public TSettings ReadSettings(string runDir) => RunSettings.FromJson<TSettings>(RunFolder.Open(runDir).Settings, system.Name);

    public string Report(string runDir)
    {
        var run = RunFolder.Open(runDir).Run;
        return system.Report(ReadSettings(runDir), run, system.ReadResult(run));
    }

    public string Compare(IReadOnlyList<string> runDirs, string outDir) =>
        system.WriteComparison(outDir, runDirs.Select(d => new ComparedRun<TSettings, TResult>(d, ReadSettings(d), system.ReadResult(RunFolder.Open(d).Run))).ToList());

    /// <summary>Runs each named variant into OUT/&lt;name&gt;, then writes their comparison into OUT. Without
    /// <paramref name="resume"/> every folder must be new; with it, a folder holding a run of the same settings is
    /// continued (or, finished, only read back).</summary>
    /// <returns>The comparison's path and the runs.</returns>
    /// <exception cref="MnemoException">A folder holds a run with other settings (checked for every variant before
    /// anything trains), or any error of <see cref="Start"/>.</exception>
    /// <param name="device">A device request for every variant (null: auto; a resumed variant: its own).</param>
    public (string Report, IReadOnlyList<ComparedRun<TSettings, TResult>> Runs) Compare(IReadOnlyList<(string Name, TSettings Settings)> variants,
        string outDir, string dataRoot, IProgressReporter progress, bool resume, string? device = null)
    {
        if (device is not null) ComputeDevice.Resolve(device); // a bad or unusable device fails before anything trains
        foreach (var (name, settings) in variants)
        {
            settings.Validate();
            var dir = Path.Combine(outDir, name);
            if (!File.Exists(Path.Combine(dir, "config.json"))) continue;
            if (!resume) RefuseExisting(dir);
            var differences = RunSettings.Differences(ReadSettings(dir), settings);
            if (differences.Count > 0)
                throw new MnemoException($"{dir} holds a run with other settings ({string.Join("; ", differences)}); a comparison never mixes " +
                                         "settings: use another --out, or remove that folder to run it again.");
        }
        var runs = new List<ComparedRun<TSettings, TResult>>();
        foreach (var (name, settings) in variants)
        {
            var dir = Path.Combine(outDir, name);
            progress.Message($"== {name} → {dir}");
            runs.Add(new(dir, settings, File.Exists(Path.Combine(dir, "config.json")) ? Resume(dir, dataRoot, progress, device) : Start(settings, dir, dataRoot, progress, device)));
        }
        return (system.WriteComparison(outDir, runs), runs);
    }

    static void RefuseExisting(string dir)
    {
        if (File.Exists(Path.Combine(dir, "config.json")))
            throw new MnemoException($"{dir} already holds a run: continue it with --resume (for one run: `--resume {dir}`; for a comparison: the same command with --resume added), or choose another --out.");
    }
}
