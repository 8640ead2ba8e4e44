using System.Text.Json;
using System.Text.Json.Serialization;
using Mnemo.Training;

namespace Mnemo.Sweeps;

/// <summary>What a sweep folder's sweep.json holds: the grid and the data folder every run reads.</summary>
public sealed record SweepManifest(SweepGrid Grid, string DataRoot, DateTimeOffset Created);

/// <summary>
/// A sweep's folder: sweep.json (the grid), runs/NAME (one ordinary run folder per grid point), status/NAME.json
/// (how each point's last attempt ended), logs/ (each point's output) and the report. Everything a sweep knows is
/// on disk, so a killed sweep, a re-submitted array or a second machine on a shared disk carries on from it.
/// </summary>
public sealed class SweepFolder
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Root { get; }
    public SweepManifest Manifest { get; }
    public string ManifestPath => ManifestFile(Root);
    public string RunsDir => Path.Combine(Root, "runs");
    public string StatusDir => Path.Combine(Root, "status");
    public string LogsDir => Path.Combine(Root, "logs");
    public string SlurmDir => Path.Combine(Root, "slurm");

    SweepFolder(string root, SweepManifest manifest)
    {
        Root = Path.GetFullPath(root);
        Manifest = manifest;
    }

    static string ManifestFile(string root) => Path.Combine(root, "sweep.json");

    /// <summary>Whether <paramref name="dir"/> is a sweep folder.</summary>
    public static bool Exists(string dir) => File.Exists(ManifestFile(dir));

    /// <summary>Opens the sweep in <paramref name="root"/>, creating it for <paramref name="grid"/> when new.</summary>
    /// <exception cref="MnemoException">The folder holds a sweep of another grid: its runs are never mixed.</exception>
    public static SweepFolder CreateOrOpen(string root, SweepGrid grid, string dataRoot)
    {
        var sweep = Plan(root, grid, dataRoot);
        if (!Exists(root)) AtomicFile.WriteAllText(sweep.ManifestPath, JsonSerializer.Serialize(sweep.Manifest, Json));
        return sweep;
    }

    /// <summary>The sweep <see cref="CreateOrOpen"/> would give, without writing anything (for a dry run).</summary>
    /// <exception cref="MnemoException">The folder holds a sweep of another grid.</exception>
    public static SweepFolder Plan(string root, SweepGrid grid, string dataRoot)
    {
        if (!Exists(root)) return new SweepFolder(root, new SweepManifest(grid, Path.GetFullPath(dataRoot), DateTimeOffset.UtcNow));
        var existing = Open(root);
        if (!existing.Manifest.Grid.SameAs(grid))
            throw new MnemoException($"{root} holds a sweep of another grid ({existing.ManifestPath}); choose another --out, or run that sweep with `mnemo sweep {root}`.");
        return existing;
    }

    /// <exception cref="MnemoException">No sweep there, or an unreadable sweep.json.</exception>
    public static SweepFolder Open(string root)
    {
        var path = ManifestFile(root);
        if (!File.Exists(path)) throw new MnemoException($"{root} is not a sweep folder (no sweep.json).");
        try
        {
            return new SweepFolder(root, JsonSerializer.Deserialize<SweepManifest>(File.ReadAllText(path), Json) ?? throw new JsonException("empty"));
        }
        catch (JsonException e)
        {
            throw new MnemoException($"{path} is not a readable sweep manifest ({e.Message}).");
        }
    }

    /// <summary>The grid's points.</summary>
    public IReadOnlyList<GridPoint> Points() => Manifest.Grid.Expand();

    /// <summary>The point with array index <paramref name="index"/>.</summary>
    /// <exception cref="MnemoException">No such index.</exception>
    public GridPoint Point(int index)
    {
        var points = Points();
        return index >= 0 && index < points.Count ? points[index] : throw new MnemoException($"the sweep has points 0..{points.Count - 1}, not {index}");
    }

    public string RunDir(GridPoint point) => Path.Combine(RunsDir, point.Name);
    public string LogPath(GridPoint point) => Path.Combine(LogsDir, point.Name + ".log");
    string StatusPath(GridPoint point) => Path.Combine(StatusDir, point.Name + ".json");

    /// <summary>Whether the point's run folder holds a run (so it is resumed, not started).</summary>
    public bool HasRun(GridPoint point) => File.Exists(Path.Combine(RunDir(point), "config.json"));

    /// <summary>How the point's last attempt ended; null if none ended yet.</summary>
    public PointStatus? ReadStatus(GridPoint point)
    {
        var path = StatusPath(point);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<PointStatus>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; } // written atomically; unreadable means edited by hand: run it again
    }

    public void WriteStatus(GridPoint point, PointStatus status) => AtomicFile.WriteAllText(StatusPath(point), JsonSerializer.Serialize(status, Json));

    /// <summary>The point's state: its recorded status, else whether its run folder exists.</summary>
    public PointState StateOf(GridPoint point) => ReadStatus(point)?.State ?? (HasRun(point) ? PointState.Incomplete : PointState.Missing);

    /// <summary>Takes the point's lock (an OS file lock, released when the process ends however it ends), or returns
    /// null when another process holds it: two workers never train one run folder.</summary>
    public IDisposable? TryLock(GridPoint point)
    {
        Directory.CreateDirectory(StatusDir);
        try
        {
            return new FileStream(Path.Combine(StatusDir, point.Name + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(Path.Combine(StatusDir, point.Name + ".lock")))
        {
            return null;
        }
    }
}
