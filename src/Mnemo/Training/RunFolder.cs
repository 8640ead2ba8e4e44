using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mnemo.Training.TensorBoard;

namespace Mnemo.Training;

/// <summary>
/// A run's own folder: config.json (all resolved settings, seed, versions), metrics.jsonl (one JSON object per
/// logged step), images/, checkpoints/. Opening an existing folder for resume checks that the config matches.
/// </summary>
public sealed class RunFolder
{
    /// <summary>How a run's JSON files are written: indented, and readable ("0+1,2+3", not "0\u002B1,2\u002B3"); they
    /// are files, never embedded in HTML unescaped. The settings fingerprint does not hash this text but the
    /// settings' default serialisation (<see cref="Checkpoint.FingerprintOf"/>), so it stays that of existing runs.</summary>
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Root { get; }
    public string ConfigPath => Path.Combine(Root, "config.json");
    public string MetricsPath => Path.Combine(Root, "metrics.jsonl");
    public string ImagesDir => Path.Combine(Root, "images");
    public string CheckpointsDir => Path.Combine(Root, "checkpoints");

    RunFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(ImagesDir);
        Directory.CreateDirectory(CheckpointsDir);
    }

    /// <summary>Creates a new run folder. Refuses a folder that already holds a run, to never overwrite results.</summary>
    /// <param name="dataRoot">The data folder the run reads (kept beside the settings, not in them: it does not
    /// change the run's results, and a resume may name another copy with --root).</param>
    /// <param name="kind">The system that writes the run, as its checkpoints name it (see <see cref="Kind"/>).</param>
    /// <param name="device">The device the run computes on, kept beside the settings (as "device": requested and used),
    /// not in them: it is not part of the settings fingerprint, and a resume may choose another.</param>
    public static RunFolder Create(string root, JsonObject settings, string? dataRoot = null, string? kind = null, ComputeDevice? device = null)
    {
        if (File.Exists(Path.Combine(root, "config.json")))
            throw new MnemoException($"{root} already holds a run: continue it with --resume (for one run: `--resume {root}`; for a comparison: the same command with --resume added), or choose another --out.");
        var run = new RunFolder(root);
        var config = new JsonObject
        {
            ["kind"] = kind,
            ["settings"] = settings.DeepClone(),
            ["data_root"] = dataRoot,
        };
        if (device is not null) config["device"] = DeviceJson(device);
        config["versions"] = Versions();
        config["created"] = DateTimeOffset.UtcNow.ToString("O");
        AtomicFile.WriteAllText(run.ConfigPath, config.ToJsonString(Json));
        return run;
    }

    /// <summary>Opens an existing run for resume and returns its stored settings.</summary>
    public static (RunFolder Run, JsonObject Settings) Open(string root)
    {
        var (run, settings, _) = OpenConfig(root);
        return (run, settings);
    }

    /// <summary>Opens an existing run: its settings and the data folder it was started with (runs written before
    /// the data folder had its own entry kept it inside the settings, where the settings readers ignore it).</summary>
    public static (RunFolder Run, JsonObject Settings, string? DataRoot) OpenConfig(string root)
    {
        var path = Path.Combine(root, "config.json");
        if (!File.Exists(path)) throw new MnemoException($"{root} is not a Mnemo run folder (no config.json).");
        var config = ReadConfig(path);
        var settings = config["settings"]?.AsObject() ?? throw new MnemoException($"{path} has no \"settings\".");
        var dataRoot = (string?)config["data_root"] ?? (string?)settings["data_root"];
        return (new RunFolder(root), (JsonObject)settings.DeepClone(), dataRoot);
    }

    public JsonObject ReadSettings() => Open(Root).Settings;

    static JsonObject DeviceJson(ComputeDevice device) => new() { ["requested"] = device.Requested, ["used"] = device.Name };

    /// <summary>The device request the run in <paramref name="root"/> last ran with (config.json's "device"), or null for
    /// a run written before runs recorded one (then a resume uses auto).</summary>
    /// <exception cref="MnemoException">Not a run folder, or an unreadable config.json.</exception>
    public static string? StoredDevice(string root)
    {
        var path = Path.Combine(root, "config.json");
        if (!File.Exists(path)) throw new MnemoException($"{root} is not a Mnemo run folder (no config.json).");
        return (string?)ReadConfig(path)["device"]?["requested"];
    }

    /// <summary>Records the device a resume runs on: config.json's "device" becomes it, and a different earlier one
    /// moves to "earlier_devices" (oldest first), so the report can say where the run was trained.</summary>
    public void RecordDevice(ComputeDevice device)
    {
        var config = ReadConfig(ConfigPath);
        var now = DeviceJson(device);
        if (config["device"] is JsonObject old && JsonNode.DeepEquals(old, now)) return;
        if (config["device"] is JsonObject previous)
        {
            var earlier = config["earlier_devices"] as JsonArray ?? new JsonArray();
            config.Remove("earlier_devices");
            earlier.Add(previous.DeepClone());
            config["earlier_devices"] = earlier;
        }
        config["device"] = now;
        AtomicFile.WriteAllText(ConfigPath, config.ToJsonString(Json));
    }

    /// <summary>Where the run was trained, for reports: "cuda:0", or "cuda:0, then cpu" after a resume elsewhere; null
    /// when config.json records no device.</summary>
    public string? DeviceHistory()
    {
        var config = ReadConfig(ConfigPath);
        if ((string?)config["device"]?["used"] is not { } used) return null;
        var all = (config["earlier_devices"] as JsonArray ?? new JsonArray()).Select(d => (string?)d?["used"]).OfType<string>().Append(used).ToList();
        var distinct = all.Where((d, i) => i == 0 || all[i - 1] != d).ToList();
        return string.Join(", then ", distinct);
    }

    /// <summary>The system that wrote the run in <paramref name="root"/> ("mergan-continual", "selfcond", …): config.json's
    /// "kind", or for runs created before it had one, the kind their newest checkpoint carries.</summary>
    /// <exception cref="MnemoException">Not a run folder, or an older run without a checkpoint.</exception>
    public static string Kind(string root)
    {
        var path = Path.Combine(root, "config.json");
        if (!File.Exists(path)) throw new MnemoException($"{root} is not a Mnemo run folder (no config.json).");
        if ((string?)ReadConfig(path)["kind"] is { } kind) return kind;
        var newest = Directory.Exists(Path.Combine(root, "checkpoints"))
            ? Directory.GetFiles(Path.Combine(root, "checkpoints"), "step-*.ckpt").Max(StringComparer.Ordinal) : null;
        return newest is null
            ? throw new MnemoException($"{root} has no checkpoint, and its config.json (from an older Mnemo) does not say which system wrote it.")
            : Checkpoint.ReadKind(newest);
    }

    static JsonObject ReadConfig(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new MnemoException($"{path} is not valid JSON ({e.Message}); the run cannot be resumed.");
        }
    }

    /// <summary>Appends one metrics record (a JSON object on its own line).</summary>
    public void LogMetrics(JsonObject record)
    {
        File.AppendAllText(MetricsPath, record.ToJsonString() + "\n");
    }

    /// <summary>Appends one typed metrics record (and, while the engine trains with TensorBoard on, writes its
    /// scalars at its step).</summary>
    public void Log<T>(T record) where T : IMetricRecord
    {
        LogMetrics(MetricRecords.ToJson(record));
        TensorBoard?.Record(record);
    }

    /// <summary>Publishes an image the run wrote (a sample grid, a scatter plot) at <paramref name="step"/>: shown in
    /// TensorBoard while the engine trains with it on; the file itself stays where it is. A null path (no figure was
    /// drawn) publishes nothing.</summary>
    public void LogImage(string tag, string? path, long step)
    {
        if (path is not null) TensorBoard?.Image(tag, path, step);
    }

    /// <summary>The TensorBoard log of the training in progress (set by the <see cref="RunEngine"/>), or null.</summary>
    internal TensorBoardLog? TensorBoard { get; set; }

    /// <summary>The records of type <typeparamref name="T"/> in metrics.jsonl, in order.</summary>
    public List<T> Read<T>() where T : IMetricRecord =>
        ReadMetrics().Where(MetricRecords.IsA<T>).Select(r => MetricRecords.FromJson<T>(r, MetricsPath)).ToList();

    /// <summary>Reads metrics.jsonl, skipping a torn last line left by a killed process.</summary>
    public List<JsonObject> ReadMetrics()
    {
        var list = new List<JsonObject>();
        if (!File.Exists(MetricsPath)) return list;
        foreach (var line in File.ReadLines(MetricsPath))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try { if (JsonNode.Parse(line) is JsonObject o) list.Add(o); }
            catch (JsonException) { }
        }
        return list;
    }

    /// <summary>Drops metric records past <paramref name="step"/> (written after the checkpoint a resume starts from).</summary>
    public void TruncateMetricsAfter(long step)
    {
        var kept = ReadMetrics().Where(m => m["step"] is null || (long)m["step"]! <= step).Select(m => m.ToJsonString());
        AtomicFile.WriteAllText(MetricsPath, string.Concat(kept.Select(l => l + "\n")));
    }

    /// <summary>metrics.json: a one-phase run's final evaluation, written when it finishes.</summary>
    public string FinalMetricsPath => Path.Combine(Root, "metrics.json");

    /// <summary>Writes the run's final evaluation (<see cref="FinalMetricsPath"/>).</summary>
    public void WriteFinal<T>(T record) where T : IMetricRecord => AtomicFile.WriteAllText(FinalMetricsPath, MetricRecords.ToJson(record).ToJsonString(Json));

    /// <summary>The final evaluation <see cref="WriteFinal"/> wrote.</summary>
    /// <exception cref="MnemoException">The run has not finished (no metrics.json) or the file is unreadable.</exception>
    public T ReadFinal<T>() where T : IMetricRecord
    {
        if (!File.Exists(FinalMetricsPath)) throw new MnemoException($"{Root} has no metrics.json: the run has not finished (continue it with --resume {Root}).");
        try
        {
            return MetricRecords.FromJson<T>(JsonNode.Parse(File.ReadAllText(FinalMetricsPath))?.AsObject() ?? throw new JsonException("empty"), FinalMetricsPath);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new MnemoException($"{FinalMetricsPath} is not valid JSON ({e.Message}).");
        }
    }

    public string WriteJson(string fileName, JsonNode node)
    {
        var path = Path.Combine(Root, fileName);
        AtomicFile.WriteAllText(path, node.ToJsonString(Json));
        return path;
    }

    public static JsonObject Versions() => new()
    {
        ["mnemo"] = typeof(RunFolder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["libtorch"] = "2.10.0",
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["os"] = RuntimeInformation.OSDescription,
        ["processors"] = Environment.ProcessorCount,
        // With the thread count (settings), what decides which CPU kernels run and so the last bits of every result.
        ["openmp_wait"] = OpenMpWaitPolicy.Describe(),
        ["onednn_max_cpu_isa"] = Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") ?? "default",
    };
}
